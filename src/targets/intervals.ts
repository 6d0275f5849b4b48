// Sorted, merged, non-overlapping integer intervals. Targets and exclusions of any size are a handful
// of these, so a /8 costs two bigints, a membership test is a binary search, and subtraction of the
// exclusions happens once, before the first address is produced.

export interface Interval {
  first: bigint;
  last: bigint;
}

export class IntervalSet {
  private constructor(private readonly items: readonly Interval[]) {}

  static readonly EMPTY = new IntervalSet([]);

  /** Sorts and merges overlapping or touching intervals (so 1-5 and 6-9 become 1-9). */
  static from(intervals: Iterable<Interval>): IntervalSet {
    const sorted = [...intervals].sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
    const merged: Interval[] = [];
    for (const iv of sorted) {
      if (iv.last < iv.first) throw new RangeError(`interval ${iv.first}-${iv.last} is reversed`);
      const top = merged[merged.length - 1];
      if (top && iv.first <= top.last + 1n) {
        if (iv.last > top.last) merged[merged.length - 1] = { first: top.first, last: iv.last };
      } else {
        merged.push({ first: iv.first, last: iv.last });
      }
    }
    return new IntervalSet(merged);
  }

  get intervals(): readonly Interval[] {
    return this.items;
  }

  get isEmpty(): boolean {
    return this.items.length === 0;
  }

  /** Number of integers covered, computed from the bounds (never by enumerating). */
  get size(): bigint {
    let n = 0n;
    for (const iv of this.items) n += iv.last - iv.first + 1n;
    return n;
  }

  has(value: bigint): boolean {
    let lo = 0;
    let hi = this.items.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const iv = this.items[mid] as Interval;
      if (value < iv.first) hi = mid - 1;
      else if (value > iv.last) lo = mid + 1;
      else return true;
    }
    return false;
  }

  /** This set without the values of `other`; both are sorted, so one linear merge pass suffices. */
  subtract(other: IntervalSet): IntervalSet {
    if (other.isEmpty || this.isEmpty) return this;
    const out: Interval[] = [];
    const cuts = other.items;
    let j = 0;
    for (const iv of this.items) {
      let first = iv.first;
      const last = iv.last;
      while (j < cuts.length && (cuts[j] as Interval).last < first) j++;
      let k = j;
      while (first <= last) {
        const cut = cuts[k];
        if (!cut || cut.first > last) {
          out.push({ first, last });
          break;
        }
        if (cut.first > first) out.push({ first, last: cut.first - 1n });
        first = cut.last + 1n;
        k++;
      }
    }
    return new IntervalSet(out);
  }

  /** Values in ascending order, one at a time. */
  *values(): Generator<bigint> {
    for (const iv of this.items) {
      for (let v = iv.first; v <= iv.last; v++) yield v;
    }
  }
}
