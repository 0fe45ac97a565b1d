// The names a DICOMweb input gives its instances: `study-0001/series-0001/instance-000001.dcm`, positions in UID order
// at each level. A UID is an identifier (it links an output back to its original), so no name holds one, nor a
// digest of one (an unkeyed digest of a UID is as linkable as the UID). The same studies on the same server give the
// same names in every run and shard, which the shard rule and --skip-existing need; the positions are those of the
// UIDs in order, so a name says nothing of the instance but where it sits in the run.

/** One instance's place on the server (its UIDs). */
export interface InstancePlace {
  study: string;
  series: string;
  instance: string;
}

/** The studies as QIDO-RS listed them: study UID → series UID → SOP Instance UIDs (in any order, repeats allowed). */
export type StudyTree = ReadonlyMap<string, ReadonlyMap<string, readonly string[]>>;

/**
 * UIDs in numeric order, component by component ("1.2.10" after "1.2.9"): shorter component first, then character
 * order. A total order on any strings (an archive may hold a UID that is not digits and dots).
 */
export function compareUids(a: string, b: string): number {
  const x = a.split('.');
  const y = b.split('.');
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i].length !== y[i].length) return x[i].length - y[i].length;
    if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
  }
  return x.length - y.length;
}

const sortedUnique = (uids: Iterable<string>): string[] => [...new Set(uids)].sort(compareUids);

/** A position, 1-based, zero-padded to the width of the count (at least `min` digits), so names sort as positions do. */
const position = (index: number, count: number, min: number): string => String(index + 1).padStart(Math.max(min, String(count).length), '0');

/** Every instance's name and place, in name order. */
export function nameInstances(tree: StudyTree): { name: string; place: InstancePlace }[] {
  const out: { name: string; place: InstancePlace }[] = [];
  const studies = sortedUnique(tree.keys());
  studies.forEach((study, s) => {
    const seriesOf = tree.get(study)!;
    const series = sortedUnique(seriesOf.keys());
    series.forEach((se, e) => {
      const instances = sortedUnique(seriesOf.get(se)!);
      instances.forEach((instance, i) => {
        const name = `study-${position(s, studies.length, 4)}/series-${position(e, series.length, 4)}/instance-${position(i, instances.length, 6)}.dcm`;
        out.push({ name, place: { study, series: se, instance } });
      });
    });
  });
  return out;
}
