// What the page needs from a tab, whatever it shows.

/** `key=value` pairs, as in a link. */
export type Pairs = readonly (readonly [string, string])[];

/** One tab of the page: a codec's decoder, or the trace reader. */
export interface Tab {
  /** The name in links (`vmx`, `trace`). */
  readonly name: string;
  /** The label of its link. */
  readonly title: string;
  /** Its content (hidden while another tab is shown). */
  readonly section: HTMLElement;
  /** Shows the state of a link's pairs (none: the tab's example, if it has one). */
  load(params: Pairs): void;
  /** The pairs of what the tab shows now, for its link. */
  pairs(): Pairs;
}
