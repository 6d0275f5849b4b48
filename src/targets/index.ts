// Public API of the targets area: what the CLI, the scan engine and `import nmap` call.
export {
  planTargets,
  streamTargets,
  parseTargetExpression,
  readExpressionFile,
  splitExpressions,
  systemResolver,
  TargetPlan,
  DEFAULT_MAX_HOSTS,
  ABSOLUTE_MAX_HOSTS,
  type Target,
  type TargetOptions,
  type TargetExpression,
  type ExpressionSource,
  type Resolver,
  type ResolvedAddress,
} from './expression.js';
export { parsePortList, parsePortRanges, portInRanges, mergePortRanges, type PortRange, type PortListOptions } from './ports.js';
export { canonicalAddress, parseIp, formatIp, type Family } from './address.js';
export { loadInventory, parseInventory, inventoryMatch, Inventory, type InventoryHost, type InventoryRole } from './inventory.js';
export { judgeHost, applyPolicy, matchInventory, assessRisk, RISKY_SERVICES, type ServiceRisk, type RiskAssessment } from './policy.js';
