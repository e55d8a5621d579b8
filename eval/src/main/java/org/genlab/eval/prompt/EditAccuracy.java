package org.genlab.eval.prompt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.genlab.datasets.caption.CaptionedImages;
import org.genlab.datasets.caption.PromptSet;
import org.genlab.datasets.caption.PromptSet.Prompt;
import org.genlab.eval.classifier.FeatureClassifier;
import org.genlab.pipelines.edit.Edit;
import org.genlab.pipelines.edit.Editor;

/**
 * Does an edit paint what its prompt asks, and only there? Each trial puts four test images on a
 * 2×2 canvas, repaints one random cell with a prompt drawn from the test split's compositions
 * ({@link PromptSet#test}), and then scores the repainted cell with the feature classifier and the
 * caption measurement, and checks that every pixel outside the cell is unchanged.
 */
public final class EditAccuracy {

    private EditAccuracy() {}

    /**
     * What {@link #evaluate} measured.
     *
     * @param edits trials
     * @param score the repainted cells against their prompts
     * @param matched edits whose cell shows the class and every requested attribute
     * @param maxChangeOutside the largest change of a pixel outside the edited cell (0 = none)
     * @param seconds wall time
     */
    public record Result(
            int edits,
            PromptSet.Score score,
            double matched,
            double maxChangeOutside,
            double seconds) {
        @Override
        public String toString() {
            return String.format(
                    Locale.ROOT,
                    "%d edits: %.1f %% match their prompt fully (class and every requested"
                            + " attribute); %s; largest change outside the edited cell %.3g;"
                            + " %.1f s",
                    edits,
                    100 * matched,
                    score,
                    maxChangeOutside,
                    seconds);
        }
    }

    /**
     * Runs n random edits.
     *
     * @param editor the editor (a text-conditional run)
     * @param classifier the data set's feature classifier
     * @param test the captioned test split
     * @param n trials
     * @param seed the seed of the canvases, cells and prompts
     * @param manager a manager on the model's device
     * @return the result
     */
    public static Result evaluate(
            Editor editor,
            FeatureClassifier classifier,
            CaptionedImages test,
            int n,
            long seed,
            NDManager manager) {
        Random r = new Random(seed);
        List<Prompt> prompts = PromptSet.test(test, n, seed + 1);
        Shape cell = new Shape(test.data().channels(), test.data().height(), test.data().width());
        long t0 = System.nanoTime();
        double maxOutside = 0;
        try (NDManager m = manager.newSubManager()) {
            NDList cells = new NDList();
            for (int i = 0; i < n; i++) {
                int[] idx = new int[4];
                for (int j = 0; j < 4; j++) {
                    idx[j] = r.nextInt(test.size());
                }
                NDArray canvas = canvas(test.data().samples(m, idx), cell);
                int row = r.nextInt(2);
                int col = r.nextInt(2);
                NDArray after =
                        editor.apply(canvas, new Edit(row, col, "cell", prompts.get(i).text()));
                // every pixel outside the edited cell must be exactly as before
                NDArray diff = after.sub(canvas).abs();
                long h = cell.get(1);
                long w = cell.get(2);
                diff.set(
                        new ai.djl.ndarray.index.NDIndex(
                                ":, :, {}:{}, {}:{}",
                                row * h,
                                (row + 1) * h,
                                col * w,
                                (col + 1) * w),
                        0f);
                maxOutside = Math.max(maxOutside, diff.max().getFloat());
                NDArray edited = Editor.cell(after, row, col, cell);
                cells.add(edited);
            }
            NDArray x = ai.djl.ndarray.NDArrays.concat(cells, 0);
            double[][] p = classifier.probabilities(x);
            int[] predicted = new int[p.length];
            for (int i = 0; i < p.length; i++) {
                int best = 0;
                for (int c = 1; c < p[i].length; c++) {
                    if (p[i][c] > p[i][best]) {
                        best = c;
                    }
                }
                predicted[i] = best;
            }
            double[][] measured = test.measure().measure(x);
            PromptSet.Score s = PromptSet.score(prompts, predicted, measured, test.bins());
            int full = 0;
            for (int i = 0; i < n; i++) {
                boolean ok = predicted[i] == prompts.get(i).label();
                int[] want = prompts.get(i).bins();
                for (int a = 0; a < want.length; a++) {
                    if (want[a] >= 0 && test.bins().bin(a, measured[i][a]) != want[a]) {
                        ok = false;
                    }
                }
                full += ok ? 1 : 0;
            }
            return new Result(n, s, (double) full / n, maxOutside, (System.nanoTime() - t0) / 1e9);
        }
    }

    /** Four images (4, C, H, W) as a 2×2 canvas (1, C, 2H, 2W). */
    static NDArray canvas(NDArray four, Shape cell) {
        List<NDArray> rows = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            rows.add(four.get(r * 2).concat(four.get(r * 2 + 1), 2));
        }
        return rows.get(0).concat(rows.get(1), 1).expandDims(0);
    }
}
