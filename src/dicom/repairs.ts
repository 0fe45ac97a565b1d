// What the lenient reader repaired in a file (a meta without Transfer Syntax UID, padding after the last element, an
// odd value length...), as short notes for the report: the kind of repair and where (tag paths, byte counts), never
// a value. Each kind is one note; its places are listed up to a few, then counted.

const MAX_PLACES = 5;

export class RepairLog {
  private readonly kinds = new Map<string, string[]>();

  /** Records one repair of `kind` at `where` (a tag path, or nothing). */
  add(kind: string, where = ''): void {
    const places = this.kinds.get(kind);
    if (places === undefined) this.kinds.set(kind, where ? [where] : []);
    else if (where) places.push(where);
  }

  get size(): number {
    return this.kinds.size;
  }

  /** One note per kind: "kind: place, place, … and N more". */
  notes(): string[] {
    return [...this.kinds].map(([kind, places]) => {
      if (places.length === 0) return kind;
      const shown = places.slice(0, MAX_PLACES).join(', ');
      return `${kind}: ${shown}${places.length > MAX_PLACES ? ` and ${places.length - MAX_PLACES} more` : ''}`;
    });
  }
}
