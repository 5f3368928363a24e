/**
 * Chinese command words and the English command each one means. A command typed in Chinese is read by putting its
 * English verb in place of the Chinese one and then reading it as any command: the parsers accept the Chinese
 * separators and answer words themselves (到, 作为, 从, 赢单, 开/关…), so mixed input (`move D-1001 到 方案`,
 * `推进 D-1001 to solution`) reads the same. Which words are read never depends on the Teams locale.
 */

/** Whole messages. */
const PHRASES: Record<string, string> = {
  关注列表: 'following', 我的关注: 'following', 已关注: 'following',
  审批人: 'approvers', 审批发到这里: 'approvals here', 审批频道: 'approvals here', 在这里审批: 'approvals here',
  我的经理: 'my manager', 经理: 'manager', 语言: 'language',
};

/** Leading words, longest first so that `设置审批人` wins over `设置` and `取消关注` over `关注`. */
const VERBS: ReadonlyArray<[string, string]> = ([
  ['商机', 'deal'], ['查看', 'deal'], ['打开', 'deal'],
  ['推进', 'move'], ['移动', 'move'], ['移到', 'move'],
  ['设置审批人', 'set approvers'], ['设置配额', 'set quota'], ['设置经理', 'set manager'],
  ['设置', 'set'], ['修改', 'set'], ['更新', 'set'],
  ['关闭', 'close'], ['团队', 'team'], ['添加', 'add'], ['加入', 'add'], ['移除', 'remove'], ['删除', 'remove'],
  ['取消关注', 'unfollow'], ['关注', 'follow'], ['取消静音', 'unmute'], ['静音', 'mute'], ['免打扰', 'mute'], ['提醒', 'alerts'],
  ['申请审批', 'request approval'], ['请求审批', 'request approval'], ['提交审批', 'request approval'],
  ['审批记录', 'approval'], ['审批', 'approval'],
  ['里程碑', 'milestone'], ['客户满意度', 'csat'], ['满意度', 'csat'], ['交付计划', 'plan'], ['客户', 'account'],
  ['经理', 'manager'], ['语言', 'language'], ['同步', 'sync'], ['总结', 'summary'],
] as Array<[string, string]>).sort((a, b) => b[0].length - a[0].length);

/** The message with a leading Chinese command word put in English (`推进D-1001到方案` → `move D-1001到方案`), else as typed. */
export function withEnglishVerb(text: string): string {
  // Own keys only: `__proto__`, `constructor` and the like are text a user may type, not phrases.
  const phrase = Object.hasOwn(PHRASES, text) ? PHRASES[text] : undefined;
  if (phrase) return phrase;
  // `从 <商机> 移除 <人员>`: the deal comes first in Chinese.
  const removal = /^从\s*(.+?)\s*(?:移除|删除)\s*(.+)$/.exec(text);
  if (removal) return `remove ${removal[2]} from ${removal[1]}`;
  const hit = VERBS.find(([word]) => text.startsWith(word));
  if (!hit) return text;
  const rest = text.slice(hit[0].length).trim();
  return rest ? `${hit[1]} ${rest}` : hit[1];
}

/** A Chinese (Han) character: next to one, a word boundary needs no space. */
export const HAN = /\p{Script=Han}/u;
