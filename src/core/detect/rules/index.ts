/** The built-in rule pack (security reference B.4), in catalogue order. */
import type { Rule } from '../types.js';
import { CRED_RULES } from './cred.js';
import { DESTR_RULES } from './destr.js';
import { EXEC_RULES } from './exec.js';
import { EXFIL_RULES } from './exfil.js';
import { INJ_RULES } from './inj.js';
import { MCP_RULES } from './mcp.js';
import { PERSIST_RULES } from './persist.js';
import { PRIV_RULES } from './priv.js';
import { RECON_RULES } from './recon.js';
import { SCOPE_RULES } from './scope.js';
import { SECRET_RULES } from './secret.js';
import { SUPPLY_RULES } from './supply.js';
import { TAMPER_RULES } from './tamper.js';

export const BUILTIN_RULES: readonly Rule[] = [
  ...CRED_RULES,
  ...SECRET_RULES,
  ...EXFIL_RULES,
  ...EXEC_RULES,
  ...PERSIST_RULES,
  ...DESTR_RULES,
  ...PRIV_RULES,
  ...SUPPLY_RULES,
  ...TAMPER_RULES,
  ...SCOPE_RULES,
  ...INJ_RULES,
  ...MCP_RULES,
  ...RECON_RULES,
];
