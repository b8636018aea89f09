/**
 * Slack mrkdwn escaping. Text from logs, the LLM or users must never become a mention (`<!channel>`),
 * a link or markup: `&`, `<`, `>` are escaped as Slack documents.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export const mentionUser = (user_id: string) => `<@${user_id}>`;
export const mentionGroup = (group_id: string) => `<!subteam^${group_id}>`;
export const link = (url: string, label: string) => `<${url}|${escapeMrkdwn(label).replace(/\|/g, '¦')}>`;
