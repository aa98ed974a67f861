/** One page of a listing; `cursor` (opaque) asks for the next one and is absent on the last. */
export interface Page<T> {
  items: T[];
  cursor?: string;
}
