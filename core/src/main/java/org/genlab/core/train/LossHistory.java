package org.genlab.core.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.genlab.core.GenLabException;

/**
 * The losses logged during a run, as a table: one row per logged step, one column per loss. Saved
 * as {@code losses.csv} in the run folder and inside every checkpoint.
 */
public final class LossHistory {

    private final List<Long> steps = new ArrayList<>();
    private final Map<String, List<Float>> columns = new LinkedHashMap<>();

    /**
     * Adds a row.
     *
     * @param step the step the values belong to (steps completed)
     * @param values loss name to value
     */
    public synchronized void add(long step, Map<String, Float> values) {
        int row = steps.size();
        steps.add(step);
        for (Map.Entry<String, Float> e : values.entrySet()) {
            List<Float> col = columns.computeIfAbsent(e.getKey(), k -> new ArrayList<>());
            while (col.size() < row) {
                col.add(Float.NaN);
            }
            col.add(e.getValue());
        }
        for (List<Float> col : columns.values()) {
            while (col.size() < row + 1) {
                col.add(Float.NaN);
            }
        }
    }

    /**
     * Returns the logged steps.
     *
     * @return one step per row
     */
    public synchronized List<Long> steps() {
        return List.copyOf(steps);
    }

    /**
     * Returns the loss names.
     *
     * @return the column names, in order
     */
    public synchronized List<String> names() {
        return List.copyOf(columns.keySet());
    }

    /**
     * Returns one loss over the run.
     *
     * @param name a loss name
     * @return one value per row (NaN where it was not logged)
     */
    public synchronized List<Float> series(String name) {
        List<Float> col = columns.get(name);
        return col == null ? List.of() : List.copyOf(col);
    }

    /**
     * Returns the number of rows.
     *
     * @return the rows
     */
    public synchronized int size() {
        return steps.size();
    }

    /**
     * Writes the table as CSV: a header {@code step,NAME,...} and one line per row.
     *
     * @return the CSV text
     */
    public synchronized String toCsv() {
        StringBuilder sb = new StringBuilder("step");
        for (String n : columns.keySet()) {
            sb.append(',').append(n.replace(',', ';'));
        }
        sb.append('\n');
        for (int i = 0; i < steps.size(); i++) {
            sb.append(steps.get(i));
            for (List<Float> col : columns.values()) {
                sb.append(",").append(col.get(i));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /**
     * Parses CSV written by {@link #toCsv()}.
     *
     * @param csv the text
     * @return the table
     */
    public static LossHistory fromCsv(String csv) {
        LossHistory h = new LossHistory();
        String[] lines = csv.split("\n");
        if (lines.length == 0 || lines[0].isBlank()) {
            return h;
        }
        String[] header = lines[0].split(",");
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            String[] cells = lines[i].split(",");
            if (cells.length != header.length) {
                throw new GenLabException(
                        "Loss history line "
                                + (i + 1)
                                + " has "
                                + cells.length
                                + " cells, expected "
                                + header.length
                                + ".");
            }
            Map<String, Float> row = new LinkedHashMap<>();
            for (int c = 1; c < header.length; c++) {
                row.put(header[c], Float.parseFloat(cells[c]));
            }
            h.add(Long.parseLong(cells[0]), row);
        }
        return h;
    }
}
