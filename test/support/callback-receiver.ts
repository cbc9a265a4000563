// The sandbox package's test helper, shared with the product's tests.
export * from "../../bog-sandbox/test/support/callback-receiver.js";
