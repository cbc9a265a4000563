// The whole openapi.yaml (merchant API and webhooks included), rendered by Swagger UI
// from node_modules: nothing is loaded from a CDN. "Try it out" calls this local stack.
window.ui = globalThis.SwaggerUIBundle({
  url: "/docs/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
});
