package org.genlab.pipelines.edit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.genlab.core.GenLabException;
import org.genlab.diffusion.inpaint.Inpainter;

/** The masks of {@link Edit} regions: 1 where a pixel is kept, 0 where it is repainted. */
final class Regions {

    private Regions() {}

    static void check(String region) {
        if (region.startsWith("box:")) {
            box(region);
        } else if (!region.matches("cell|left|right|top|bottom|center")) {
            throw new GenLabException(
                    "Unknown region '"
                            + region
                            + "': use cell, left, right, top, bottom, center or box:x,y,w,h.");
        }
    }

    static NDArray mask(NDManager m, String region, int height, int width) {
        if ("cell".equals(region)) {
            return m.zeros(new Shape(1, 1, height, width));
        }
        if (!region.startsWith("box:")) {
            return Inpainter.mask(m, region, height, width);
        }
        int[] b = box(region);
        if (b[0] < 0
                || b[1] < 0
                || b[2] < 1
                || b[3] < 1
                || b[0] + b[2] > width
                || b[1] + b[3] > height) {
            throw new GenLabException(
                    "The box " + region + " does not fit in a " + width + "×" + height + " cell.");
        }
        float[] k = new float[height * width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                boolean inside = x >= b[0] && x < b[0] + b[2] && y >= b[1] && y < b[1] + b[3];
                k[y * width + x] = inside ? 0f : 1f;
            }
        }
        return m.create(k, new Shape(1, 1, height, width));
    }

    private static int[] box(String region) {
        String[] p = region.substring(4).split(",");
        try {
            if (p.length != 4) {
                throw new NumberFormatException();
            }
            int[] b = new int[4];
            for (int i = 0; i < 4; i++) {
                b[i] = Integer.parseInt(p[i].trim());
            }
            return b;
        } catch (NumberFormatException e) {
            throw new GenLabException(
                    "A box region is box:x,y,w,h in the cell's pixels, e.g. box:4,4,20,20; got '"
                            + region
                            + "'.");
        }
    }
}
