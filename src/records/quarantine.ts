// The quarantine folder's name, in one place: without --quarantine, quarantined files go to `<output>-quarantine`
// beside the output (the batch writes there, review looks there).

/** `<output>-quarantine`: the output path without trailing separators, with "-quarantine" added. */
export function defaultQuarantineFolder(output: string): string {
  return `${output.replace(/[\\/]+$/, '')}-quarantine`;
}
