package org.genlab.text;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.genlab.core.data.BatchSource;
import org.genlab.core.data.SampleSet;
import org.genlab.core.image.PngWriter;
import org.genlab.core.nn.NoGrad;
import org.genlab.core.runtime.Seeds;
import org.genlab.core.train.LossHistory;
import org.genlab.core.train.RunFolder;
import org.genlab.core.train.TrainingLoop;
import org.genlab.datasets.ImageDataset;
import org.genlab.datasets.Split;
import org.genlab.text.clip.Clip;
import org.genlab.text.clip.ClipSpec;
import org.genlab.text.clip.ClipTrainer;
import org.genlab.text.clip.EmbeddingMap;
import org.genlab.text.clip.Retrieval;
import org.genlab.text.clip.ZeroShot;
import org.genlab.text.tokenizer.Tokenizer;
import org.genlab.text.viz.AttentionMaps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short CLIP run on real MNIST with label captions ("a 7", "the digit seven", "handwritten
 * seven"): zero-shot classification of 1000 test digits from prompts alone, retrieval, the
 * embedding map, and loading the run back. {@code -Dgenlab.clipSteps=600} runs longer.
 */
class ClipMnistTest {

    static final String[] WORDS = {
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"
    };

    static final String[] TEMPLATES = {
        "a {d}", "the digit {w}", "handwritten {w}", "a {w}", "the number {d}", "a handwritten {d}"
    };

    static String caption(int template, int label) {
        return TEMPLATES[template]
                .replace("{d}", Integer.toString(label))
                .replace("{w}", WORDS[label]);
    }

    static final int L = 4;

    @TempDir Path tmp;

    @Test
    void learnsToClassifyDigitsFromPrompts() {
        int steps = Integer.getInteger("genlab.clipSteps", 250);
        ImageDataset train = ImageDataset.builder().setName("mnist").optLimit(20000).build();
        ImageDataset test =
                ImageDataset.builder().setName("mnist").optSplit(Split.TEST).optLimit(1000).build();
        List<String> all = new ArrayList<>();
        for (int t = 0; t < TEMPLATES.length; t++) {
            for (int c = 0; c < 10; c++) {
                all.add(caption(t, c));
            }
        }
        Tokenizer tok = Tokenizer.of(all);
        Path dir = tmp.resolve("clip");
        int[] testLabels = new int[test.size()];
        for (int i = 0; i < testLabels.length; i++) {
            testLabels[i] = test.label(i);
        }
        double accuracy;
        try (NDManager m = NDManager.newBaseManager()) {
            Seeds.seed(5);
            // one caption per training image, a random template of its label
            Random rnd = new Random(5);
            long[] ids = new long[train.size() * L];
            for (int i = 0; i < train.size(); i++) {
                long[] row = tok.encode(caption(rnd.nextInt(TEMPLATES.length), train.label(i)), L);
                System.arraycopy(row, 0, ids, i * L, L);
            }
            int[] every = new int[train.size()];
            for (int i = 0; i < every.length; i++) {
                every[i] = i;
            }
            SampleSet data =
                    SampleSet.of(
                            train.samples(m, every), m.create(ids, new Shape(train.size(), L)));
            Clip clip =
                    Clip.builder()
                            .setImageShape(new Shape(1, 28, 28))
                            .setVocabularySize(tok.size())
                            .optMaxLength(L)
                            .optTextDim(32)
                            .optTextLayers(1)
                            .optTextHeads(2)
                            .optImageChannels(16)
                            .optImageDim(64)
                            .optEmbedDim(32)
                            .build()
                            .initialize(m);
            ClipTrainer trainer =
                    ClipTrainer.builder()
                            .setModel(clip)
                            .setTokenizer(tok)
                            .setData(BatchSource.shuffled(data, 128, 5))
                            .setManager(m)
                            .optLearningRate(
                                    Float.parseFloat(System.getProperty("genlab.clipLr", "4e-3")))
                            .build();
            RunFolder run = RunFolder.create(dir);
            trainer.writeVocabulary(run.dir());
            long t0 = System.nanoTime();
            LossHistory h =
                    TrainingLoop.builder()
                            .setTask(trainer)
                            .setSteps(steps)
                            .setRunFolder(run)
                            .setSeed(5)
                            .setManager(m)
                            .optLogEvery(10)
                            .optSampleEvery(steps)
                            .optConfig(Map.of("dataset", "mnist"))
                            .optProgressBar(false)
                            .optOutput(new PrintStream(new ByteArrayOutputStream()))
                            .build()
                            .fit();
            double seconds = (System.nanoTime() - t0) / 1e9;
            List<Float> loss = h.series("loss");

            try (NDManager e = m.newSubManager();
                    NoGrad scope = NoGrad.enter()) {
                List<List<String>> prompts = new ArrayList<>();
                for (int c = 0; c < 10; c++) {
                    List<String> p = new ArrayList<>();
                    for (int t = 0; t < TEMPLATES.length; t++) {
                        p.add(caption(t, c));
                    }
                    prompts.add(p);
                }
                NDArray classes = ZeroShot.classEmbeddings(clip, tok, prompts, L);
                classes.attach(e);
                NDArray x = test.samples(e, every(test.size()));
                int[] predicted = ZeroShot.classify(clip, x, classes);
                accuracy = ZeroShot.accuracy(predicted, testLabels);

                // text → image: for "the digit seven", is one of the 5 nearest test images a 7?
                ParameterStore ps = new ParameterStore(e, false);
                List<String> queries = new ArrayList<>();
                int[] queryClass = new int[10];
                for (int c = 0; c < 10; c++) {
                    queries.add(caption(1, c));
                    queryClass[c] = c;
                }
                NDArray t = clip.encodeTexts(ps, tok.encode(e, queries, L));
                NDArray img = clip.encodeImages(ps, x);
                double textToImage = Retrieval.recallAtK(t, img, queryClass, testLabels, 5);
                double imageToText = Retrieval.recallAtK(img, t, testLabels, queryClass, 1);
                int[] top = Retrieval.topK(t.get(7), img, 5);
                System.out.printf(
                        "clip mnist: %d steps batch 128 in %.1f s (%.0f ms/step), loss %.3f -> %.3f,"
                                + " scale %.1f, zero-shot %.3f on 1000 test digits, recall@5"
                                + " text->image %.2f, recall@1 image->text %.2f%n",
                        steps,
                        seconds,
                        1000 * seconds / steps,
                        loss.get(0),
                        loss.get(loss.size() - 1),
                        clip.logitScale().getFloat(),
                        accuracy,
                        textToImage,
                        imageToText);
                // from log 128 = 4.85 toward the floor set by the batch's other captions of the
                // same digit (≈ log 13 = 2.6): the image cannot know which template its caption
                // used
                assertThat(loss.get(loss.size() - 1)).isLessThan(0.75f * loss.get(0));
                assertThat(accuracy).isGreaterThanOrEqualTo(0.9);
                assertThat(textToImage).isEqualTo(1.0);
                assertThat(top).hasSize(5);
                // pictures: -Dgenlab.clipPictures=DIR keeps them
                Path pictures = Path.of(System.getProperty("genlab.clipPictures", tmp.toString()));
                Path map = pictures.resolve("embedding-map.png");
                EmbeddingMap.draw(
                        img.get("0:300"),
                        java.util.Arrays.copyOf(testLabels, 300),
                        t,
                        queries,
                        map);
                assertThat(PngWriter.read(map).getWidth()).isEqualTo(800);
                NDArray weights =
                        clip.textEncoder()
                                .attention(ps, tok.encode(e, List.of("a handwritten 7"), L))
                                .get(0)
                                .get(0);
                Path att = pictures.resolve("attention.png");
                AttentionMaps.draw(tok.words("a handwritten 7"), weights, att);
                assertThat(att).isRegularFile();
            }
        }

        // the run folder rebuilds the model and its tokenizer
        assertThat(ClipSpec.fromConfig(RunFolder.open(dir).config()).maxLength()).isEqualTo(L);
        try (NDManager m = NDManager.newBaseManager();
                NoGrad scope = NoGrad.enter()) {
            Clip.Loaded loaded = Clip.load(dir, m);
            assertThat(loaded.tokenizer().vocabulary()).isEqualTo(tok.vocabulary());
            List<List<String>> prompts = new ArrayList<>();
            for (int c = 0; c < 10; c++) {
                List<String> p = new ArrayList<>();
                for (int t = 0; t < TEMPLATES.length; t++) {
                    p.add(caption(t, c));
                }
                prompts.add(p);
            }
            NDArray classes = ZeroShot.classEmbeddings(loaded.clip(), tok, prompts, L);
            int[] predicted =
                    ZeroShot.classify(loaded.clip(), test.samples(m, every(test.size())), classes);
            assertThat(ZeroShot.accuracy(predicted, testLabels)).isEqualTo(accuracy);
        }
    }

    private static int[] every(int n) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        return idx;
    }
}
