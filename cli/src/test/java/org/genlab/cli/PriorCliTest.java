package org.genlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.Map;
import org.genlab.core.train.RunFolder;
import org.genlab.pipelines.unclip.DiffusionPrior;
import org.genlab.pipelines.unclip.Prior;
import org.genlab.pipelines.unclip.RegressionPrior;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train prior} on a tiny CLIP run trained here: both kinds train briefly, record their
 * settings and evaluation, reopen with {@code Prior.open}; a bad --kind, a folder that is not a
 * CLIP run and a resume with another kind are refused.
 */
class PriorCliTest {

    @TempDir Path dir;

    @Test
    void bothKindsTrainOnATinyClipRunAndReopen() {
        Path clip = dir.resolve("clip");
        String[] c =
                CliRun.run(
                        "train",
                        "clip",
                        "--limit",
                        "512",
                        "--steps",
                        "4",
                        "--batch",
                        "32",
                        "--eval-images",
                        "100",
                        "--no-progress",
                        "--run",
                        clip.toString());
        assertThat(c[0]).as(c[2]).isEqualTo("0");

        Path diffusion = dir.resolve("diffusion");
        String[] d =
                CliRun.run(
                        "train",
                        "prior",
                        "--clip",
                        clip.toString(),
                        "--kind",
                        "diffusion",
                        "--limit",
                        "256",
                        "--steps",
                        "20",
                        "--batch",
                        "32",
                        "--width",
                        "32",
                        "--depth",
                        "1",
                        "--timesteps",
                        "50",
                        "--eval-images",
                        "300",
                        "--no-progress",
                        "--run",
                        diffusion.toString());
        assertThat(d[0]).as(d[2]).isEqualTo("0");
        assertThat(d[1]).contains("zero-shot accuracy of the predicted embeddings");
        Map<String, String> config = RunFolder.open(diffusion).config();
        assertThat(config)
                .containsEntry("model", "prior")
                .containsEntry("prior.kind", "diffusion")
                .containsEntry("prior.dim", "64")
                .containsEntry("prior.timesteps", "50")
                .containsEntry("prior.candidates", "1")
                .containsEntry("clipRun", clip.toAbsolutePath().normalize().toString())
                .containsEntry("eval.captions", "300")
                .containsKeys("eval.cosine", "eval.zeroShot", "eval.diversity", "stepMillis");
        // test captions that are word for word the same got different samples (NaN: no such pair)
        assertThat(Double.parseDouble(config.get("eval.diversity"))).isStrictlyBetween(0.0, 2.0);
        assertThat(diffusion.resolve("checkpoint.zip")).exists();

        Path regression = dir.resolve("regression");
        String[] r =
                CliRun.run(
                        "train",
                        "prior",
                        "--clip",
                        clip.toString(),
                        "--kind",
                        "regression",
                        "--limit",
                        "256",
                        "--steps",
                        "20",
                        "--batch",
                        "32",
                        "--width",
                        "32",
                        "--depth",
                        "1",
                        "--eval-images",
                        "300",
                        "--no-progress",
                        "--run",
                        regression.toString());
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(Double.parseDouble(RunFolder.open(regression).config().get("eval.diversity")))
                .isBetween(0.0, 1e-4);

        try (NDManager m = NDManager.newBaseManager()) {
            Prior p = Prior.open(diffusion, m);
            assertThat(p).isInstanceOf(DiffusionPrior.class);
            assertThat(Prior.clipRun(diffusion)).isEqualTo(clip.toAbsolutePath().normalize());
            NDArray zt = m.randomNormal(new Shape(3, 64));
            zt = zt.div(zt.norm(new int[] {1}, true));
            assertThat(p.sample(zt, 1).getShape()).isEqualTo(new Shape(3, 64));
            assertThat(Prior.open(regression, m)).isInstanceOf(RegressionPrior.class);
        }

        String[] badKind =
                CliRun.run(
                        "train",
                        "prior",
                        "--clip",
                        clip.toString(),
                        "--kind",
                        "autoregressive",
                        "--run",
                        dir.resolve("x").toString());
        assertThat(badKind[0]).isNotEqualTo("0");
        assertThat(badKind[2].strip()).contains("--kind").doesNotContain("\n");

        String[] notClip =
                CliRun.run(
                        "train",
                        "prior",
                        "--clip",
                        diffusion.toString(),
                        "--run",
                        dir.resolve("y").toString());
        assertThat(notClip[0]).isNotEqualTo("0");
        assertThat(notClip[2].strip()).contains("not a CLIP run").doesNotContain("\n");

        String[] otherKind =
                CliRun.run(
                        "train",
                        "prior",
                        "--clip",
                        clip.toString(),
                        "--kind",
                        "regression",
                        "--resume",
                        "--run",
                        diffusion.toString());
        assertThat(otherKind[0]).isNotEqualTo("0");
        assertThat(otherKind[2]).contains("--kind");
        assertThat(dir.resolve("x")).doesNotExist();
        assertThat(dir.resolve("y")).doesNotExist();
    }
}
