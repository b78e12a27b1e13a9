/**
 * A weighted choice among options listed simplest first, for random mode's preamble. It draws by
 * weight and shrinks to every simpler option, simplest first (fast-check's integer shrinking would
 * try only some of them: 0, then halfway, ...). Shrinking only ever moves to a lower index, so it
 * ends. Without its context (a value fast-check did not generate here) it does not shrink.
 */
import fc from 'fast-check';

export interface Weighted<T> {
  readonly value: T;
  readonly weight: number;
}

class Choice<T> extends fc.Arbitrary<T> {
  private readonly total: number;
  constructor(private readonly options: readonly Weighted<T>[]) {
    super();
    this.total = options.reduce((s, o) => s + o.weight, 0);
    if (!options.length || this.total <= 0 || options.some((o) => !Number.isInteger(o.weight) || o.weight < 0)) throw new Error('choice needs options with non-negative integer weights, some positive');
  }
  generate(mrng: fc.Random): fc.Value<T> {
    let n = mrng.nextInt(0, this.total - 1);
    let i = 0;
    while (n >= this.options[i]!.weight) n -= this.options[i++]!.weight;
    return new fc.Value(this.options[i]!.value, i);
  }
  canShrinkWithoutContext(_value: unknown): _value is T {
    return false;
  }
  shrink(_value: T, context: unknown): fc.Stream<fc.Value<T>> {
    if (typeof context !== 'number') return fc.Stream.nil();
    return fc.Stream.of(...this.options.slice(0, context).map((o, i) => new fc.Value(o.value, i)));
  }
}

export function choice<T>(options: readonly Weighted<T>[]): fc.Arbitrary<T> {
  return new Choice(options);
}
