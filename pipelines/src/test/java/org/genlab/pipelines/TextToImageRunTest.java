package org.genlab.pipelines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.genlab.core.GenLabException;
import org.genlab.core.data.BatchSource;
import org.genlab.core.data.SampleSet;
import org.genlab.core.runtime.Seeds;
import org.genlab.core.train.RunFolder;
import org.genlab.core.train.TrainingLoop;
import org.genlab.datasets.ImageDataset;
import org.genlab.datasets.caption.CaptionedImages;
import org.genlab.diffusion.nn.Prediction;
import org.genlab.diffusion.train.DiffusionTrainer;
import org.genlab.diffusion.train.ModelSpec;
import org.genlab.diffusion.train.TrainedModel;
import org.genlab.pipelines.edit.Edit;
import org.genlab.pipelines.edit.Editor;
import org.genlab.pipelines.text2image.CaptionedSamples;
import org.genlab.pipelines.text2image.TextConditioning;
import org.genlab.text.tokenizer.Tokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tiny text-conditional run on real MNIST captions: it trains, is reopened from its folder (the
 * text encoder rebuilt from its settings), samples from a prompt, and edits a canvas without
 * touching a pixel outside the mask.
 */
class TextToImageRunTest {

    @TempDir Path tmp;

    @Test
    void aTextRunTrainsReopensSamplesAndEditsOnlyInsideTheMask() {
        Path dir = tmp.resolve("text-run");
        try (NDManager m = NDManager.newBaseManager()) {
            Seeds.seed(5);
            CaptionedImages caps =
                    CaptionedImages.of(
                            ImageDataset.builder().setName("mnist").optLimit(256).build());
            TextConditioning.Encoder enc =
                    TextConditioning.fresh(
                            CaptionedSamples.tokenizer(caps.captioner()),
                            CaptionedSamples.MAX_LENGTH);
            SampleSet data = CaptionedSamples.of(caps, enc.tokenizer(), enc.maxLength(), m);
            assertThat(data.labels(m, new int[] {0, 1}).getShape())
                    .isEqualTo(new Shape(2, CaptionedSamples.MAX_LENGTH));
            ModelSpec spec =
                    new ModelSpec(
                            "unet",
                            "cpu",
                            1,
                            28,
                            28,
                            0,
                            "linear",
                            100,
                            Prediction.EPSILON,
                            enc.maxLength());
            Block net = spec.build(m, enc.block(), enc.trainable());
            DiffusionTrainer task =
                    DiffusionTrainer.builder()
                            .setModel(spec, net)
                            .setData(BatchSource.shuffled(data, 8, 5))
                            .setManager(m)
                            .build();
            java.util.Map<String, String> config = new java.util.LinkedHashMap<>(task.config());
            config.putAll(enc.config());
            config.put("dataset", "mnist");
            TrainingLoop.builder()
                    .setTask(task)
                    .setSteps(3)
                    .setRunFolder(RunFolder.create(dir))
                    .setSeed(5)
                    .setManager(m)
                    .optSampleEvery(0)
                    .optProgressBar(false)
                    .optConfig(config)
                    .optOutput(new PrintStream(new ByteArrayOutputStream()))
                    .build()
                    .fit();
        }
        try (NDManager m = NDManager.newBaseManager();
                TrainedModel model = TrainedModel.open(RunFolder.open(dir), m, true)) {
            assertThat(model.isTextConditional()).isTrue();
            RunFolder run = RunFolder.open(dir);
            Tokenizer tok = TextConditioning.tokenizer(run.config());
            int len = TextConditioning.maxLength(run.config());
            assertThatThrownBy(() -> tok.encode("a purple seven", len))
                    .isInstanceOf(GenLabException.class)
                    .hasMessageContaining("purple");
            Editor editor =
                    Editor.builder()
                            .setModel(model)
                            .setTokenizer(p -> tok.encode(p, len))
                            .optSteps(4, 1)
                            .build();
            // a canvas of four real digits
            ImageDataset mnist = ImageDataset.builder().setName("mnist").optLimit(4).build();
            NDArray four = mnist.samples(m, new int[] {0, 1, 2, 3});
            NDArray canvas =
                    four.get(0)
                            .concat(four.get(1), 2)
                            .concat(four.get(2).concat(four.get(3), 2), 1)
                            .expandDims(0);
            List<NDArray> frames =
                    editor.run(
                            canvas,
                            List.of(
                                    Edit.parse("bottom-right=a thin 4", 2, 2),
                                    Edit.parse("top-left:top=a bold 7", 2, 2)));
            assertThat(frames).hasSize(3);
            NDArray after = frames.get(2);
            // the two untouched cells: identical
            for (String idx : new String[] {":, :, 0:28, 28:56", ":, :, 28:56, 0:28"}) {
                assertThat(
                                after.get(new NDIndex(idx))
                                        .sub(canvas.get(new NDIndex(idx)))
                                        .abs()
                                        .max()
                                        .getFloat())
                        .isEqualTo(0f);
            }
            // the bottom half of the top-left cell was outside its mask: identical too
            assertThat(
                            after.get(new NDIndex(":, :, 14:28, 0:28"))
                                    .sub(canvas.get(new NDIndex(":, :, 14:28, 0:28")))
                                    .abs()
                                    .max()
                                    .getFloat())
                    .isEqualTo(0f);
            // and the repainted regions did change
            assertThat(
                            after.get(new NDIndex(":, :, 28:56, 28:56"))
                                    .sub(canvas.get(new NDIndex(":, :, 28:56, 28:56")))
                                    .abs()
                                    .max()
                                    .getFloat())
                    .isGreaterThan(0.1f);
            assertThatThrownBy(() -> Edit.parse("middle=a 4", 2, 2))
                    .hasMessageContaining("top-left");
            assertThatThrownBy(() -> Edit.parse("top-left:box:1,2=a 4", 2, 2))
                    .isInstanceOf(GenLabException.class);
        }
    }
}
