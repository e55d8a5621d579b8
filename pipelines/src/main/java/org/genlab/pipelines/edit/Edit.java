package org.genlab.pipelines.edit;

import java.util.Locale;
import org.genlab.core.GenLabException;

/**
 * One edit of a canvas: which cell, which region of it to repaint, and the prompt to paint there.
 *
 * @param row the cell's row (0 = top)
 * @param column the cell's column (0 = left)
 * @param region what to repaint inside the cell: {@code cell} (all of it), {@code left}, {@code
 *     right}, {@code top}, {@code bottom}, {@code center}, or {@code box:x,y,w,h} in the cell's
 *     pixels
 * @param prompt the caption of what to paint
 */
public record Edit(int row, int column, String region, String prompt) {

    /**
     * Reads an edit written as {@code CELL[:REGION]=PROMPT}, where CELL is {@code top-left}, {@code
     * top-right}, {@code bottom-left}, {@code bottom-right} or {@code ROW,COL}, e.g. {@code
     * bottom-right=a thin 4} or {@code top-left:top=a bold 7}.
     *
     * @param text the edit
     * @param rows the canvas's rows of cells
     * @param columns its columns
     * @return the edit
     * @throws GenLabException with the expected form when the text does not fit it
     */
    public static Edit parse(String text, int rows, int columns) {
        int eq = text.indexOf('=');
        if (eq < 1 || eq == text.length() - 1) {
            throw new GenLabException(
                    "An edit is CELL[:REGION]=PROMPT, e.g. 'bottom-right=a thin 4' or"
                            + " 'top-left:top=a bold 7'; got '"
                            + text
                            + "'.");
        }
        String where = text.substring(0, eq).trim().toLowerCase(Locale.ROOT);
        String prompt = text.substring(eq + 1).trim();
        String region = "cell";
        int colon = where.indexOf(':');
        if (colon >= 0) {
            region = where.substring(colon + 1);
            where = where.substring(0, colon);
        }
        int r;
        int c;
        switch (where) {
            case "top-left":
                r = 0;
                c = 0;
                break;
            case "top-right":
                r = 0;
                c = columns - 1;
                break;
            case "bottom-left":
                r = rows - 1;
                c = 0;
                break;
            case "bottom-right":
                r = rows - 1;
                c = columns - 1;
                break;
            default:
                String[] rc = where.split(",");
                try {
                    r = Integer.parseInt(rc[0].trim());
                    c = Integer.parseInt(rc[1].trim());
                } catch (RuntimeException e) {
                    throw new GenLabException(
                            "Unknown cell '"
                                    + where
                                    + "': use top-left, top-right, bottom-left, bottom-right or"
                                    + " ROW,COL.");
                }
        }
        if (r < 0 || r >= rows || c < 0 || c >= columns) {
            throw new GenLabException(
                    "Cell " + r + "," + c + " is outside the " + rows + "×" + columns + " canvas.");
        }
        Regions.check(region);
        return new Edit(r, c, region, prompt);
    }

    @Override
    public String toString() {
        return "("
                + row
                + ","
                + column
                + ")"
                + ("cell".equals(region) ? "" : ":" + region)
                + " "
                + prompt;
    }
}
