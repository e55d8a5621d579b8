package org.genlab.gan.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.genlab.core.data.Batch;
import org.genlab.core.data.BatchSource;

/** The ring of eight Gaussians (Metz et al. 2017), radius 2, for tests. */
final class Ring {

    static final int MODES = 8;
    static final float RADIUS = 2f;

    final float sigma;
    final float[][] centres = new float[MODES][];

    Ring(float sigma) {
        this.sigma = sigma;
        for (int k = 0; k < MODES; k++) {
            double a = 2 * Math.PI * k / MODES;
            centres[k] =
                    new float[] {(float) (RADIUS * Math.cos(a)), (float) (RADIUS * Math.sin(a))};
        }
    }

    NDArray sample(NDManager m, int n) {
        NDArray mode = m.randomInteger(0, MODES, new Shape(n), DataType.INT32);
        NDArray angle = mode.toType(DataType.FLOAT32, false).mul((float) (2 * Math.PI / MODES));
        NDArray centre = angle.cos().stack(angle.sin(), 1).mul(RADIUS);
        return centre.add(m.randomNormal(new Shape(n, 2)).mul(sigma));
    }

    BatchSource source(int batch) {
        return (m, i) -> new Batch(sample(m, batch), null);
    }

    /** Counts modes with at least {@code share} of the points within 3σ of their centre. */
    int coveredModes(float[][] points, double share) {
        int covered = 0;
        for (float[] c : centres) {
            int near = 0;
            for (float[] p : points) {
                double dx = p[0] - c[0];
                double dy = p[1] - c[1];
                if (Math.sqrt(dx * dx + dy * dy) <= 3 * sigma) {
                    near++;
                }
            }
            if (near >= share * points.length) {
                covered++;
            }
        }
        return covered;
    }
}
