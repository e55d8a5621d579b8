package org.genlab.autoencoder;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.Map;
import org.genlab.core.GenLabException;
import org.genlab.core.train.RunFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@link LatentSpace#load} says about folders it cannot load: one line each. */
class LatentSpaceErrorsTest {

    @TempDir Path tmp;

    @Test
    void aMissingFolderIsRefused() {
        assertThatThrownBy(() -> LatentSpace.load(tmp.resolve("nothing"), Device.cpu()))
                .isInstanceOf(GenLabException.class)
                .hasMessageStartingWith("No autoencoder run at ")
                .hasMessageNotContaining("\n");
    }

    @Test
    void aRunOfAnotherModelIsRefused() {
        Path gan = tmp.resolve("gan");
        RunFolder.create(gan, Map.of("gan.model", "dcgan", "dataset", "mnist"))
                .begin(Map.of(), false);
        assertThatThrownBy(() -> LatentSpace.load(gan, Device.cpu()))
                .isInstanceOf(GenLabException.class)
                .hasMessageContaining("is not an autoencoder run")
                .hasMessageNotContaining("\n");
    }

    @Test
    void aRunWithoutCheckpointIsRefused() {
        Path ae = tmp.resolve("ae");
        RunFolder.create(ae, Map.of("autoencoder.bottleneck", "kl", "latent.scale", "1.0"))
                .begin(Map.of(), false);
        assertThatThrownBy(() -> LatentSpace.load(ae, Device.cpu()))
                .isInstanceOf(GenLabException.class)
                .hasMessageContaining("has no checkpoint.zip")
                .hasMessageNotContaining("\n");
    }
}
