/**
 * The layers, checked in CI (`npm run deps`), not by reviewers' memory.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: "sandbox-imports-nothing-of-the-product",
      comment:
        "bog-sandbox is written from the bank's document: an oracle that shares the product's code cannot catch the product's misreadings.",
      severity: "error",
      from: { path: "^bog-sandbox/" },
      to: { path: "^(lib|functions|infra|local|cli|test)/" },
    },
    {
      name: "sandbox-has-no-runtime-dependency",
      comment: "The packed sandbox runs on Node alone: its source imports Node's own modules only.",
      severity: "error",
      from: { path: "^bog-sandbox/src/" },
      to: { dependencyTypesNot: ["core", "local"] },
    },
    {
      name: "lib-imports-no-outer-layer",
      comment:
        "lib/ holds the rules; the handlers, the CDK app, the local stack and the CLIs use it, never the reverse.",
      severity: "error",
      from: { path: "^lib/" },
      to: { path: "^(functions|infra|local|cli|bog-sandbox)/" },
    },
    {
      name: "domain-knows-no-http",
      comment:
        "The domain refuses with a DomainError (a code and the facts); only lib/http/ turns codes into statuses and headers (lib/openapi serves a document over it).",
      severity: "error",
      from: { path: "^lib/", pathNot: "^lib/(http|openapi)/" },
      to: { path: "^lib/http/" },
    },
    {
      name: "functions-import-lib-only",
      severity: "error",
      from: { path: "^functions/" },
      to: { path: "^(infra|local|cli|test|bog-sandbox)/" },
    },
    {
      name: "cli-imports-lib-only",
      comment:
        "The operator commands use the rules of lib/ as a shop's own script would: never a handler, the CDK app or the local stack.",
      severity: "error",
      from: { path: "^cli/" },
      to: { path: "^(functions|infra|local|bog-sandbox/src)/" },
    },
    {
      name: "infra-imports-definitions-only",
      comment:
        "infra/ is the CDK app: from lib/ it takes the definitions it shares with the runtime (tables, metric names, event names, the bank's vocabulary, the API's routes), never a rule that runs in a function, and nothing of the functions, the local stack or the CLIs.",
      severity: "error",
      from: { path: "^infra/" },
      to: {
        path: "^(functions|local|cli|bog-sandbox)/|^lib/",
        pathNot:
          "^lib/(metrics|dynamo/tables|events/order-event|events/card-event|bog/vocabulary|http/routes|loopback)\\.ts$",
      },
    },
    {
      name: "no-cycles",
      comment:
        "A module that needs itself back through others at run time is one module in pieces (a type named both ways is not a cycle at run time).",
      severity: "error",
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ["type-only"] } },
    },
    {
      name: "product-code-uses-no-test-code",
      severity: "error",
      from: { path: "^(lib|functions|infra|local|cli)/" },
      to: { path: "^(test|bog-sandbox/test)/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)(node_modules|cdk\\.out|dist|\\.stryker-tmp|reports)/" },
    tsConfig: { fileName: "tsconfig.json" },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
    },
  },
};
