// A stand-in for a Terraform provider that cannot be installed, for tests only. It serves the real provider's
// schema (embedded at build time from a `terraform providers schema -json` dump) and behaves as Terraform's own
// mocks do: Terraform validates configuration against the schema, plans leave computed values unknown, applies
// fill them with deterministic values, data sources answer with deterministic values. It never reaches any
// API. Nothing here is specific to one provider: the build names the registry address and supplies the schema.
package main

import (
	_ "embed"
	"fmt"
	"os"

	"github.com/hashicorp/terraform-plugin-go/tfprotov5"
	"github.com/hashicorp/terraform-plugin-go/tfprotov5/tf5server"
)

//go:embed schema.json
var schemaJSON []byte

// address is set at build time (-ldflags -X main.address=registry.terraform.io/NS/TYPE).
var address = "registry.terraform.io/example/example"

// overridesEnv names a JSON file with values to use instead of generated ones (see overrides).
const overridesEnv = "TFDOM_DOUBLE_OVERRIDES"

func main() {
	srv, err := newServer(schemaJSON, os.Getenv(overridesEnv))
	if err != nil {
		fmt.Fprintln(os.Stderr, "provider double:", err)
		os.Exit(1)
	}
	if err := tf5server.Serve(address, func() tfprotov5.ProviderServer { return srv }); err != nil {
		fmt.Fprintln(os.Stderr, "provider double:", err)
		os.Exit(1)
	}
}
