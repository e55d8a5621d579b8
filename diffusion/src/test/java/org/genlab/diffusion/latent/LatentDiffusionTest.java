package org.genlab.diffusion.latent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.genlab.core.GenLabException;
import org.genlab.diffusion.inpaint.Inpainter;
import org.junit.jupiter.api.Test;

/** The pixel mask carried to the latent grid, and the known pixels pasted back. */
class LatentDiffusionTest {

    @Test
    void aLatentCellIsKnownOnlyWhenItsWholePatchIsKnown() {
        try (NDManager m = NDManager.newBaseManager()) {
            // generate the right half of 28×28: columns 14..27 unknown
            NDArray mask = Inpainter.mask(m, "right", 28, 28);
            NDArray z = LatentDiffusion.latentMask(mask, new Shape(4, 7, 7));
            assertThat(z.getShape()).isEqualTo(new Shape(1, 1, 7, 7));
            float[] row = z.get("0, 0, 3").toFloatArray();
            // latent columns 0..2 cover pixels 0..11 (known), column 3 covers 12..15 (mixed)
            assertThat(row).containsExactly(1f, 1f, 1f, 0f, 0f, 0f, 0f);
            assertThatThrownBy(() -> LatentDiffusion.latentMask(mask, new Shape(4, 8, 8)))
                    .isInstanceOf(GenLabException.class)
                    .hasMessageContaining("does not tile");
        }
    }

    @Test
    void pastingKeepsTheKnownPixelsExactly() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray known = m.ones(new Shape(2, 1, 28, 28));
            NDArray decoded = m.zeros(new Shape(2, 1, 28, 28));
            NDArray mask = Inpainter.mask(m, "right", 28, 28);
            NDArray x = LatentDiffusion.pasteKnown(known, decoded, mask);
            assertThat(x.mul(mask).sum().getFloat()).isEqualTo(mask.sum().getFloat() * 2);
            assertThat(x.mul(mask.neg().add(1)).sum().getFloat()).isZero();
        }
    }
}
