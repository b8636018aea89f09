import * as z from 'zod';

/**
 * The Block Kit subset the bot emits, with Slack's documented limits. The local Web API rejects
 * anything else with `invalid_blocks`, so a card that would fail on Slack fails here first.
 */
export const BLOCK_LIMITS = {
  messageBlocks: 50,
  modalBlocks: 100,
  sectionText: 3000,
  sectionField: 2000,
  sectionFields: 10,
  headerText: 150,
  buttonText: 75,
  buttonValue: 2000,
  buttonUrl: 3000,
  actionId: 255,
  blockId: 255,
  actionsElements: 25,
  contextElements: 10,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  modalTitle: 24,
  modalButton: 24,
  privateMetadata: 3000,
  callbackId: 255,
  inputLabel: 2000,
  placeholder: 150,
} as const;

const L = BLOCK_LIMITS;

const plain = (max: number) =>
  z
    .object({
      type: z.literal('plain_text'),
      text: z.string().min(1).max(max),
      emoji: z.boolean().optional(),
    })
    .strict();
const mrkdwn = (max: number) =>
  z
    .object({ type: z.literal('mrkdwn'), text: z.string().min(1).max(max), verbatim: z.boolean().optional() })
    .strict();
const textObject = (max: number) => z.discriminatedUnion('type', [plain(max), mrkdwn(max)]);

const blockId = z.string().min(1).max(L.blockId).optional();

const confirm = z
  .object({
    title: plain(L.confirmTitle),
    text: textObject(L.confirmText),
    confirm: plain(L.confirmButton),
    deny: plain(L.confirmButton),
    style: z.enum(['primary', 'danger']).optional(),
  })
  .strict();

const button = z
  .object({
    type: z.literal('button'),
    text: plain(L.buttonText),
    action_id: z.string().min(1).max(L.actionId),
    value: z.string().max(L.buttonValue).optional(),
    url: z.string().max(L.buttonUrl).optional(),
    style: z.enum(['primary', 'danger']).optional(),
    confirm: confirm.optional(),
    accessibility_label: z.string().max(75).optional(),
  })
  .strict();

const image = z
  .object({
    type: z.literal('image'),
    image_url: z.string().min(1).max(3000),
    alt_text: z.string().min(1).max(2000),
  })
  .strict();

const plainTextInput = z
  .object({
    type: z.literal('plain_text_input'),
    action_id: z.string().min(1).max(L.actionId),
    multiline: z.boolean().optional(),
    min_length: z.number().int().min(0).max(3000).optional(),
    max_length: z.number().int().min(1).max(3000).optional(),
    placeholder: plain(L.placeholder).optional(),
    initial_value: z.string().optional(),
  })
  .strict();

const header = z.object({ type: z.literal('header'), text: plain(L.headerText), block_id: blockId }).strict();
const divider = z.object({ type: z.literal('divider'), block_id: blockId }).strict();
const section = z
  .object({
    type: z.literal('section'),
    text: textObject(L.sectionText).optional(),
    fields: z.array(textObject(L.sectionField)).min(1).max(L.sectionFields).optional(),
    accessory: button.optional(),
    block_id: blockId,
  })
  .strict()
  .refine((s) => s.text !== undefined || s.fields !== undefined, 'a section needs text or fields');
const context = z
  .object({
    type: z.literal('context'),
    elements: z
      .array(z.union([textObject(L.sectionText), image]))
      .min(1)
      .max(L.contextElements),
    block_id: blockId,
  })
  .strict();
const actions = z
  .object({
    type: z.literal('actions'),
    elements: z.array(button).min(1).max(L.actionsElements),
    block_id: blockId,
  })
  .strict();
const input = z
  .object({
    type: z.literal('input'),
    label: plain(L.inputLabel),
    element: plainTextInput,
    optional: z.boolean().optional(),
    hint: plain(2000).optional(),
    block_id: blockId,
  })
  .strict();

export const Block = z.union([header, divider, section, context, actions, input]);
export type Block = z.infer<typeof Block>;

function uniqueIds(blocks: Block[], ctx: z.RefinementCtx): void {
  const actionIds = new Set<string>();
  const blockIds = new Set<string>();
  blocks.forEach((b, i) => {
    if (b.block_id) {
      if (blockIds.has(b.block_id))
        ctx.addIssue({ code: 'custom', message: `duplicate block_id ${b.block_id}`, path: [i] });
      blockIds.add(b.block_id);
    }
    const elements =
      b.type === 'actions' ? b.elements : b.type === 'section' && b.accessory ? [b.accessory] : [];
    const ids = [...elements.map((e) => e.action_id), ...(b.type === 'input' ? [b.element.action_id] : [])];
    for (const id of ids) {
      if (actionIds.has(id))
        ctx.addIssue({ code: 'custom', message: `duplicate action_id ${id}`, path: [i] });
      actionIds.add(id);
    }
  });
}

export const MessageBlocks = z.array(Block).max(L.messageBlocks).superRefine(uniqueIds);

export const ModalView = z
  .object({
    type: z.literal('modal'),
    title: plain(L.modalTitle),
    submit: plain(L.modalButton).optional(),
    close: plain(L.modalButton).optional(),
    blocks: z.array(Block).min(1).max(L.modalBlocks).superRefine(uniqueIds),
    callback_id: z.string().max(L.callbackId).optional(),
    private_metadata: z.string().max(L.privateMetadata).optional(),
    clear_on_close: z.boolean().optional(),
    notify_on_close: z.boolean().optional(),
    external_id: z.string().optional(),
  })
  .strict();
export type ModalView = z.infer<typeof ModalView>;

/** Slack-style problem list: `[ERROR] … [json-pointer:/blocks/0/text]`, as Slack returns in `response_metadata.messages`. */
export function describeIssues(error: z.ZodError, root: string): string[] {
  return error.issues.map((i) => `[ERROR] ${i.message} [json-pointer:/${[root, ...i.path].join('/')}]`);
}
