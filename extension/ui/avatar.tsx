/** A round avatar: the character's image, or its initial on a tinted disc. */
export function Avatar({ name, src }: { name: string; src: string | null }) {
  if (src) return <img class="avatar" src={src} alt="" />;
  return <span class="avatar initial" aria-hidden="true">{(name.trim()[0] ?? '?').toUpperCase()}</span>;
}
