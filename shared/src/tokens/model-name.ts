/**
 * The bare model id for table lookups: lower case, without a provider prefix (`openai/gpt-4o`, as
 * OpenRouter names them) or NextChat's `@provider` suffix (`gpt-4o@OpenAI`).
 */
export function normalizeModel(model: string): string {
  let name = model.trim().toLowerCase();
  const at = name.indexOf('@');
  if (at > 0) name = name.slice(0, at);
  const slash = name.lastIndexOf('/');
  if (slash >= 0) name = name.slice(slash + 1);
  return name;
}
