package org.genlab.core.metrics;

import org.genlab.core.GenLabException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.eigen.Eigen;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The Fréchet distance between two Gaussians fitted to feature sets (Dowson &amp; Landau 1982; used
 * for generative models as FID by Heusel et al., "GANs Trained by a Two Time-Scale Update Rule
 * Converge to a Local Nash Equilibrium", NeurIPS 2017):
 *
 * <pre>
 *   d² = ‖μ₁ − μ₂‖² + Tr(Σ₁ + Σ₂ − 2 (Σ₁ Σ₂)^½)
 * </pre>
 *
 * <p>The trace of the matrix square root is computed stably in double precision as Σᵢ √λᵢ, where λᵢ
 * are the eigenvalues of the symmetric matrix Σ₁^½ Σ₂ Σ₁^½ (it has the same eigenvalues as Σ₁Σ₂).
 * DJL has no eigendecomposition; ND4J provides it.
 */
public final class FrechetDistance {

    private FrechetDistance() {}

    /**
     * Computes the distance between two feature sets.
     *
     * @param a features, one row per image (at least dimension + 1 rows)
     * @param b features of the other set, same dimension
     * @return d² (not its square root, as is customary for FID)
     */
    public static double between(double[][] a, double[][] b) {
        int d = Features.dim(a, "Fréchet distance (first set)", 2);
        if (Features.dim(b, "Fréchet distance (second set)", 2) != d) {
            throw new GenLabException("The two feature sets have different dimensions.");
        }
        Features.dim(a, "Fréchet distance in " + d + " dimensions (first set)", d + 1);
        Features.dim(b, "Fréchet distance in " + d + " dimensions (second set)", d + 1);
        return between(Gaussian.fit(a), Gaussian.fit(b));
    }

    /**
     * Computes the distance between two Gaussians.
     *
     * @param g1 the first
     * @param g2 the second
     * @return d²
     */
    public static double between(Gaussian g1, Gaussian g2) {
        double[] mu1 = g1.mean();
        double[] mu2 = g2.mean();
        int d = mu1.length;
        double meanTerm = Features.sqDist(mu1, mu2);
        double tr1 = 0;
        double tr2 = 0;
        for (int i = 0; i < d; i++) {
            tr1 += g1.covariance()[i][i];
            tr2 += g2.covariance()[i][i];
        }
        return meanTerm + tr1 + tr2 - 2 * traceSqrtProduct(g1.covariance(), g2.covariance());
    }

    /**
     * Computes Tr((Σ₁Σ₂)^½) for symmetric positive semi-definite Σ₁, Σ₂.
     *
     * @param s1 Σ₁
     * @param s2 Σ₂
     * @return the trace of the square root of the product
     */
    public static double traceSqrtProduct(double[][] s1, double[][] s2) {
        INDArray a = Nd4j.createFromArray(s1).castTo(DataType.DOUBLE);
        INDArray b = Nd4j.createFromArray(s2).castTo(DataType.DOUBLE);
        INDArray root = sqrtPsd(a);
        INDArray m = root.mmul(b).mmul(root);
        m = m.add(m.transpose()).muli(0.5); // symmetric up to rounding; make it exact
        INDArray eig = Eigen.symmetricGeneralizedEigenvalues(m, false);
        double sum = 0;
        for (int i = 0; i < eig.length(); i++) {
            sum += Math.sqrt(Math.max(0, eig.getDouble(i)));
        }
        return sum;
    }

    /** Square root of a symmetric PSD matrix: V diag(√λ) Vᵀ. */
    private static INDArray sqrtPsd(INDArray a) {
        INDArray v = a.dup();
        INDArray lambda = Eigen.symmetricGeneralizedEigenvalues(v, true); // v now holds vectors
        INDArray sqrt = Nd4j.zeros(DataType.DOUBLE, lambda.length());
        for (int i = 0; i < lambda.length(); i++) {
            sqrt.putScalar(i, Math.sqrt(Math.max(0, lambda.getDouble(i))));
        }
        return v.mulRowVector(sqrt).mmul(v.transpose());
    }
}
