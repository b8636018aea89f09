/**
 * Slack mrkdwn escaping. Text from logs, the LLM or users must never become a mention (`<!channel>`),
 * a link or markup: `&`, `<`, `>` are escaped as Slack documents.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Text for inside a ``` code block. Slack has no escape for backticks there, and a plan string
 * holding ``` would close the block and turn the rest into live markup: every backtick becomes
 * the look-alike "ˋ" (U+02CB), and `&<>` are escaped as everywhere else.
 */
export function codeBlockText(text: string): string {
  return escapeMrkdwn(text).replace(/`/g, 'ˋ');
}

export const mentionUser = (user_id: string) => `<@${user_id}>`;
export const mentionGroup = (group_id: string) => `<!subteam^${group_id}>`;
export const link = (url: string, label: string) => `<${url}|${escapeMrkdwn(label).replace(/\|/g, '¦')}>`;
