/**
 * A data grid (Tabulator) inside a Preact component: the file previews and the findings. Cells that
 * do not read, or that a finding names, carry the class "bad" and a label saying so.
 */
import { useEffect, useRef } from "preact/hooks";
import { TabulatorFull as Tabulator, type ColumnDefinition, type CellComponent } from "tabulator-tables";
import "tabulator-tables/dist/css/tabulator_simple.min.css";

export interface GridProps {
  label: string;
  columns: { field: string; title: string }[];
  rows: Record<string, unknown>[];
  /** Whether a cell is bad: it is drawn red and announced as such. */
  bad?: (row: Record<string, unknown>, field: string) => boolean;
  onRowClick?: (row: Record<string, unknown>) => void;
  height?: string | false;
}

export function Grid({ label, columns, rows, bad, onRowClick, height }: GridProps) {
  const el = useRef<HTMLDivElement>(null);
  const table = useRef<Tabulator | null>(null);
  useEffect(() => {
    if (!el.current) return;
    const defs: ColumnDefinition[] = columns.map((c) => ({
      field: c.field,
      title: c.title,
      headerSort: false,
      formatter: (cell: CellComponent) => {
        const value = cell.getValue();
        const text = value === null || value === undefined ? "" : String(value);
        const isBad = bad?.(cell.getRow().getData(), c.field) ?? false;
        const node = cell.getElement();
        node.classList.toggle("bad", isBad);
        if (isBad) node.setAttribute("aria-label", `${text || "empty"}: does not read`);
        else node.removeAttribute("aria-label");
        return text;
      },
    }));
    const t = new Tabulator(el.current, {
      data: rows,
      columns: defs,
      layout: "fitDataFill",
      height: height ?? false,
      renderVertical: "basic",
      index: "__id",
    });
    // The grid's own scroller takes the focus as a child of role=grid, which ARIA does not allow; the
    // region around it scrolls instead, and takes the focus for keyboard scrolling.
    t.on("tableBuilt", () => el.current?.querySelector(".tabulator-tableholder")?.removeAttribute("tabindex"));
    if (onRowClick) t.on("rowClick", (_e, row) => onRowClick(row.getData()));
    table.current = t;
    return () => t.destroy();
  }, [columns, rows, bad]);
  return (
    <div class="grid" role="region" aria-label={label} tabIndex={0}>
      <div ref={el} />
    </div>
  );
}
