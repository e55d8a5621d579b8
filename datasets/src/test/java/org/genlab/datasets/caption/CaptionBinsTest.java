package org.genlab.datasets.caption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.genlab.core.GenLabException;
import org.genlab.datasets.ImageDataset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bins from the real MNIST training split: tertiles, saved and loaded. */
class CaptionBinsTest {

    private static CaptionedImages train;

    @TempDir Path dir;

    @BeforeAll
    static void load() {
        train = CaptionedImages.of(ImageDataset.builder().setName("mnist").build());
    }

    @Test
    void eachBinHoldsAboutAThirdOfTheTrainingImages() {
        CaptionBins b = train.bins();
        assertThat(b.images()).isEqualTo(60_000);
        for (int a = 0; a < 3; a++) {
            int[] count = new int[3];
            for (int i = 0; i < train.size(); i++) {
                count[train.bins(i)[a]]++;
            }
            for (int k = 0; k < 3; k++) {
                assertThat(count[k] / 60_000.0)
                        .as("%s bin %d", b.attributes().get(a), k)
                        .isBetween(0.33, 0.34);
            }
            assertThat(b.edges(a)[0]).isLessThan(b.edges(a)[1]);
        }
    }

    @Test
    void theBinsAreSavedWithTheDataAndLoadBackTheSame() {
        Path f = CaptionBins.file(train.data().dataDir(), "mnist");
        assertThat(f).exists();
        CaptionBins loaded = CaptionBins.load(f);
        assertThat(loaded.attributes()).containsExactly("thickness", "slant", "size");
        for (int a = 0; a < 3; a++) {
            assertThat(loaded.edges(a)).containsExactly(train.bins().edges(a));
        }
        Path copy = dir.resolve("captions/mnist-bins.properties");
        loaded.save(copy);
        assertThat(CaptionBins.load(copy).toString()).isEqualTo(train.bins().toString());
        assertThat(train.bins().toString()).contains("thickness: thin < ", "<= bold");
    }

    @Test
    void aDamagedFileIsAClearErrorAndAnOldVersionIsRecomputed() throws Exception {
        CaptionBins small =
                CaptionBins.fromValues(
                        "mnist",
                        List.of("thickness", "slant", "size"),
                        new double[][] {{1, 0, 5}, {2, 0.1, 6}, {3, 0.2, 7}});
        Path f = CaptionBins.file(dir, "mnist");
        small.save(f);
        Files.writeString(
                f, Files.readString(f).replaceFirst("thickness\\.edges=.*", "thickness.edges=2,x"));
        assertThatThrownBy(() -> CaptionBins.load(f))
                .isInstanceOf(GenLabException.class)
                .hasMessageContaining(f.toString())
                .hasMessageContaining("damaged")
                .hasMessageContaining("Delete it");
        assertThatThrownBy(
                        () ->
                                CaptionBins.forDataset(
                                        dir,
                                        "mnist",
                                        small.attributes(),
                                        () -> new double[][] {{9, 9, 9}}))
                .isInstanceOf(GenLabException.class)
                .hasMessageContaining("damaged");
        Files.writeString(f, "version=0\n");
        CaptionBins redone =
                CaptionBins.forDataset(
                        dir,
                        "mnist",
                        small.attributes(),
                        () -> new double[][] {{1, 1, 1}, {2, 2, 2}, {3, 3, 3}});
        assertThat(redone.edges(0)).containsExactly(2, 3);
        assertThat(CaptionBins.load(f).edges(2)).containsExactly(2, 3);
    }
}
