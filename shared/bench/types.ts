/** One line of a benchmark table; `reference` is the baseline measured in the same run, `ratio` = reference / value. */
export interface BenchRow {
  name: string;
  unit: string;
  value: number;
  reference?: number;
  ratio?: number;
}
