package dev.vigil.bench;

import java.util.ArrayList;
import java.util.List;

/** A plain-text table with a header row: the first column left-aligned, the others right. */
final class TextTable {

  private final List<String[]> rows = new ArrayList<>();
  private final int columns;

  TextTable(String... header) {
    columns = header.length;
    rows.add(header);
  }

  /** Adds a row; it must have as many cells as the header. */
  TextTable row(Object... cells) {
    if (cells.length != columns) {
      throw new IllegalArgumentException(cells.length + " cells for " + columns + " columns");
    }
    String[] text = new String[columns];
    for (int i = 0; i < columns; i++) {
      text[i] = String.valueOf(cells[i]);
    }
    rows.add(text);
    return this;
  }

  /** The table, one line per row, a rule under the header. */
  @Override
  public String toString() {
    int[] widths = new int[columns];
    for (String[] row : rows) {
      for (int i = 0; i < columns; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (int r = 0; r < rows.size(); r++) {
      String[] row = rows.get(r);
      for (int i = 0; i < columns; i++) {
        if (i > 0) {
          out.append("  ");
        }
        String pad = " ".repeat(widths[i] - row[i].length());
        out.append(i == 0 ? row[i] + pad : pad + row[i]);
      }
      out.append('\n');
      if (r == 0) {
        for (int i = 0; i < columns; i++) {
          out.append(i > 0 ? "  " : "").append("-".repeat(widths[i]));
        }
        out.append('\n');
      }
    }
    return out.toString();
  }
}
