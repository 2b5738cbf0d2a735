// `@consume({ context, subscribe: true })` plus `@property({ attribute: false })` in one decorator:
// a field that follows a context value and re-renders its element when the value changes.
import { consume, type Context } from '@lit/context';
import type { ReactiveElement } from 'lit';
import { property } from 'lit/decorators.js';

/** For legacy (experimentalDecorators) fields only, as the project compiles them; typed like `consume`, so the field's type is still checked against the context's. */
export function consumeProperty<T>(context: Context<unknown, T>): ReturnType<typeof consume<T>> {
  const consumer = consume({ context, subscribe: true });
  const reactive = property({ attribute: false });
  const decorate = (proto: ReactiveElement, name: PropertyKey): void => {
    reactive(proto, name);
    consumer(proto, name);
  };
  return decorate as ReturnType<typeof consume<T>>;
}
