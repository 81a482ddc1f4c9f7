/** The YAML rule file format (docs/specs/detections.md#custom-rules), as a zod schema. */
import { z } from 'zod';
import { SEVERITIES, type Severity } from '../types.js';

const severity = z.enum(SEVERITIES as [Severity, ...Severity[]]);

const regexValue = z
  .object({ regex: z.string().min(1), flags: z.string().regex(/^[imsu]*$/, 'flags may only use i, m, s and u').optional() })
  .strict()
  .superRefine((v, ctx) => {
    try {
      new RegExp(v.regex, v.flags ?? '');
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: `invalid regular expression: ${(err as Error).message}`, path: ['regex'] });
    }
  });

/** One condition value: a glob string, a list of globs (any), or an explicit operator. */
export const matchValueSchema = z.union([
  z.string().min(1),
  z.array(z.string().min(1)).min(1),
  regexValue,
  z.object({ equals: z.union([z.string(), z.number(), z.boolean()]) }).strict(),
  z.object({ contains: z.string().min(1) }).strict(),
]);
export type MatchValue = z.infer<typeof matchValueSchema>;

const fieldPath = z.string().regex(/^[A-Za-z_][\w]*(\.[\w-]+)*$/, 'a dot path such as action_details.command');

/** Conditions; all given keys must hold. Each key holds when any of the event's values for it matches. */
export const conditionsSchema = z
  .object({
    hook_event: matchValueSchema,
    tool: matchValueSchema,
    event_type: matchValueSchema,
    project: matchValueSchema,
    user: matchValueSchema,
    host_name: matchValueSchema,
    permission_mode: matchValueSchema,
    command: matchValueSchema,
    command_name: matchValueSchema,
    command_line: matchValueSchema,
    path: matchValueSchema,
    access: z.union([z.enum(['read', 'write', 'delete', 'exec', 'search', 'arg']), z.array(z.enum(['read', 'write', 'delete', 'exec', 'search', 'arg']))]),
    outside_project: z.boolean(),
    domain: z.union([z.string().min(1), z.array(z.string().min(1))]),
    url: matchValueSchema,
    prompt: matchValueSchema,
    content: matchValueSchema,
    output: matchValueSchema,
    text: matchValueSchema,
    field: z.record(fieldPath, matchValueSchema),
  })
  .partial()
  .strict()
  .refine((c) => Object.keys(c).length > 0, 'needs at least one condition');
export type Conditions = z.infer<typeof conditionsSchema>;

const ruleId = z.string().regex(/^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$/, 'ids look like ACME-DEPLOY-001 (upper case, dash separated)');

export const customRuleSchema = z
  .object({
    id: ruleId.refine((id) => !id.startsWith('AGT-'), 'AGT- ids are reserved for built-in rules'),
    title: z.string().min(1).max(200),
    severity,
    message: z.string().max(500).optional(),
    description: z.string().max(2000).optional(),
    category: z.string().regex(/^[A-Z]+$/).default('CUSTOM'),
    events: z.array(z.string().min(1)).min(1).default(['PreToolUse']),
    tools: z.array(z.string().min(1)).default([]),
    attack: z.array(z.string().regex(/^T\d{4}(\.\d{3})?$/, 'ATT&CK ids look like T1552 or T1552.001')).default([]),
    attack_version: z.string().default('v18'),
    atlas: z.array(z.string()).default([]),
    owasp: z.array(z.string()).default([]),
    match: conditionsSchema,
    not: conditionsSchema.optional(),
  })
  .strict();
export type CustomRuleSpec = z.infer<typeof customRuleSchema>;

export const ruleFileSchema = z
  .object({
    rules: z.array(customRuleSchema).default([]),
    overrides: z
      .array(z.object({ rule: z.string().min(1), project: z.string().min(1).optional(), enabled: z.boolean().optional(), severity: severity.optional() }).strict()
        .refine((o) => o.enabled !== undefined || o.severity !== undefined, 'an override sets enabled, severity or both'))
      .default([]),
    allow: z
      .array(z.object({ rule: z.string().min(1), project: z.string().min(1).optional(), evidence: z.string().min(1).optional(), user: z.string().min(1).optional(), reason: z.string().max(500).optional() }).strict())
      .default([]),
  })
  .strict();
export type RuleFile = z.infer<typeof ruleFileSchema>;
