package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"

	"github.com/hashicorp/terraform-plugin-go/tfprotov5"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// overrides holds values a test wants instead of generated ones, per resource or data source type and
// top-level attribute, in Terraform's JSON form: {"data_sources": {"TYPE": {"ATTR": VALUE}}, "resources": {...}}.
type overrides struct {
	Resources   map[string]map[string]json.RawMessage `json:"resources"`
	DataSources map[string]map[string]json.RawMessage `json:"data_sources"`
}

type server struct {
	schemas   *providerSchemas
	overrides overrides
}

func newServer(schemaJSON []byte, overridesPath string) (*server, error) {
	schemas, err := loadSchemas(schemaJSON)
	if err != nil {
		return nil, err
	}
	s := &server{schemas: schemas}
	if overridesPath != "" {
		raw, err := os.ReadFile(overridesPath)
		if err != nil {
			return nil, fmt.Errorf("overrides file: %w", err)
		}
		if err := json.Unmarshal(raw, &s.overrides); err != nil {
			return nil, fmt.Errorf("overrides file %s: %w", overridesPath, err)
		}
	}
	return s, nil
}

func errorDiag(summary, detail string) []*tfprotov5.Diagnostic {
	return []*tfprotov5.Diagnostic{{Severity: tfprotov5.DiagnosticSeverityError, Summary: summary, Detail: detail}}
}

func unsupported(call string) []*tfprotov5.Diagnostic {
	return errorDiag("Not supported by the schema double",
		call+" is not supported: this provider serves only a schema, for offline validation, plans and tests.")
}

// seedOf keys generated values to what identifies an object without the API: its type and configuration.
func seedOf(typeName string, config *tfprotov5.DynamicValue) string {
	sum := sha256.New()
	sum.Write([]byte(typeName))
	if config != nil {
		sum.Write(config.MsgPack)
		sum.Write(config.JSON)
	}
	return typeName + ":" + hex.EncodeToString(sum.Sum(nil))[:16]
}

func decodeOverrides(b *block, raw map[string]json.RawMessage) (map[string]tftypes.Value, error) {
	out := map[string]tftypes.Value{}
	for name, value := range raw {
		attr, ok := b.attributes[name]
		if !ok {
			return nil, fmt.Errorf("override for unknown attribute %q", name)
		}
		v, err := tftypes.ValueFromJSONWithOpts(value, attr.Type, tftypes.ValueFromJSONOpts{})
		if err != nil {
			return nil, fmt.Errorf("override %q: %w", name, err)
		}
		out[name] = v
	}
	return out, nil
}

func (s *server) resource(name string) (*schema, []*tfprotov5.Diagnostic) {
	if r, ok := s.schemas.resources[name]; ok {
		return r, nil
	}
	return nil, errorDiag("Unknown resource type", fmt.Sprintf("the provider has no resource type %q", name))
}

func (s *server) dataSource(name string) (*schema, []*tfprotov5.Diagnostic) {
	if d, ok := s.schemas.dataSources[name]; ok {
		return d, nil
	}
	return nil, errorDiag("Unknown data source", fmt.Sprintf("the provider has no data source %q", name))
}

func dynamic(typ tftypes.Type, v tftypes.Value) (*tfprotov5.DynamicValue, []*tfprotov5.Diagnostic) {
	dv, err := tfprotov5.NewDynamicValue(typ, v)
	if err != nil {
		return nil, errorDiag("Encoding a value failed", err.Error())
	}
	return &dv, nil
}

func decode(typ tftypes.Type, dv *tfprotov5.DynamicValue) (tftypes.Value, []*tfprotov5.Diagnostic) {
	if dv == nil {
		return tftypes.NewValue(typ, nil), nil
	}
	v, err := dv.Unmarshal(typ)
	if err != nil {
		return v, errorDiag("Decoding a value failed", err.Error())
	}
	return v, nil
}

// --- provider --------------------------------------------------------------------------------------------

func (s *server) GetMetadata(context.Context, *tfprotov5.GetMetadataRequest) (*tfprotov5.GetMetadataResponse, error) {
	resp := &tfprotov5.GetMetadataResponse{ServerCapabilities: &tfprotov5.ServerCapabilities{}}
	for _, name := range sortedKeys(s.schemas.resources) {
		resp.Resources = append(resp.Resources, tfprotov5.ResourceMetadata{TypeName: name})
	}
	for _, name := range sortedKeys(s.schemas.dataSources) {
		resp.DataSources = append(resp.DataSources, tfprotov5.DataSourceMetadata{TypeName: name})
	}
	return resp, nil
}

func (s *server) GetProviderSchema(context.Context, *tfprotov5.GetProviderSchemaRequest) (*tfprotov5.GetProviderSchemaResponse, error) {
	resp := &tfprotov5.GetProviderSchemaResponse{
		ServerCapabilities:       &tfprotov5.ServerCapabilities{},
		Provider:                 s.schemas.provider.proto(),
		ResourceSchemas:          map[string]*tfprotov5.Schema{},
		DataSourceSchemas:        map[string]*tfprotov5.Schema{},
		Functions:                map[string]*tfprotov5.Function{},
		EphemeralResourceSchemas: map[string]*tfprotov5.Schema{},
	}
	for name, r := range s.schemas.resources {
		resp.ResourceSchemas[name] = r.proto()
	}
	for name, d := range s.schemas.dataSources {
		resp.DataSourceSchemas[name] = d.proto()
	}
	return resp, nil
}

func (s *server) GetResourceIdentitySchemas(context.Context, *tfprotov5.GetResourceIdentitySchemasRequest) (*tfprotov5.GetResourceIdentitySchemasResponse, error) {
	return &tfprotov5.GetResourceIdentitySchemasResponse{IdentitySchemas: map[string]*tfprotov5.ResourceIdentitySchema{}}, nil
}

// Configuration values are accepted as they are: Terraform has already checked them against the schema.
func (s *server) PrepareProviderConfig(_ context.Context, req *tfprotov5.PrepareProviderConfigRequest) (*tfprotov5.PrepareProviderConfigResponse, error) {
	return &tfprotov5.PrepareProviderConfigResponse{PreparedConfig: req.Config}, nil
}

func (s *server) ConfigureProvider(context.Context, *tfprotov5.ConfigureProviderRequest) (*tfprotov5.ConfigureProviderResponse, error) {
	return &tfprotov5.ConfigureProviderResponse{}, nil
}

func (s *server) StopProvider(context.Context, *tfprotov5.StopProviderRequest) (*tfprotov5.StopProviderResponse, error) {
	return &tfprotov5.StopProviderResponse{}, nil
}

// --- resources -------------------------------------------------------------------------------------------

func (s *server) ValidateResourceTypeConfig(_ context.Context, req *tfprotov5.ValidateResourceTypeConfigRequest) (*tfprotov5.ValidateResourceTypeConfigResponse, error) {
	_, diags := s.resource(req.TypeName)
	return &tfprotov5.ValidateResourceTypeConfigResponse{Diagnostics: diags}, nil
}

func (s *server) UpgradeResourceState(_ context.Context, req *tfprotov5.UpgradeResourceStateRequest) (*tfprotov5.UpgradeResourceStateResponse, error) {
	r, diags := s.resource(req.TypeName)
	if diags != nil {
		return &tfprotov5.UpgradeResourceStateResponse{Diagnostics: diags}, nil
	}
	typ := r.valueType()
	v, err := req.RawState.UnmarshalWithOpts(typ, tfprotov5.UnmarshalOpts{
		ValueFromJSONOpts: tftypes.ValueFromJSONOpts{IgnoreUndefinedAttributes: true},
	})
	if err != nil {
		return &tfprotov5.UpgradeResourceStateResponse{Diagnostics: errorDiag("Reading stored state failed", err.Error())}, nil
	}
	dv, diags := dynamic(typ, v)
	return &tfprotov5.UpgradeResourceStateResponse{UpgradedState: dv, Diagnostics: diags}, nil
}

// The double has no remote objects: what was stored is what exists.
func (s *server) ReadResource(_ context.Context, req *tfprotov5.ReadResourceRequest) (*tfprotov5.ReadResourceResponse, error) {
	return &tfprotov5.ReadResourceResponse{NewState: req.CurrentState, Private: req.Private}, nil
}

func (s *server) PlanResourceChange(_ context.Context, req *tfprotov5.PlanResourceChangeRequest) (*tfprotov5.PlanResourceChangeResponse, error) {
	r, diags := s.resource(req.TypeName)
	if diags != nil {
		return &tfprotov5.PlanResourceChangeResponse{Diagnostics: diags}, nil
	}
	typ := r.valueType()
	proposed, diags := decode(typ, req.ProposedNewState)
	if diags != nil {
		return &tfprotov5.PlanResourceChangeResponse{Diagnostics: diags}, nil
	}
	planned, err := markUnknown(r.root, proposed)
	if err != nil {
		return &tfprotov5.PlanResourceChangeResponse{Diagnostics: errorDiag("Planning failed", err.Error())}, nil
	}
	dv, diags := dynamic(typ, planned)
	return &tfprotov5.PlanResourceChangeResponse{PlannedState: dv, PlannedPrivate: req.PriorPrivate, Diagnostics: diags}, nil
}

func (s *server) ApplyResourceChange(_ context.Context, req *tfprotov5.ApplyResourceChangeRequest) (*tfprotov5.ApplyResourceChangeResponse, error) {
	r, diags := s.resource(req.TypeName)
	if diags != nil {
		return &tfprotov5.ApplyResourceChangeResponse{Diagnostics: diags}, nil
	}
	typ := r.valueType()
	planned, diags := decode(typ, req.PlannedState)
	if diags != nil {
		return &tfprotov5.ApplyResourceChangeResponse{Diagnostics: diags}, nil
	}
	if planned.IsNull() { // destroy
		dv, diags := dynamic(typ, planned)
		return &tfprotov5.ApplyResourceChangeResponse{NewState: dv, Diagnostics: diags}, nil
	}
	config, diags := decode(typ, req.Config)
	if diags != nil {
		return &tfprotov5.ApplyResourceChangeResponse{Diagnostics: diags}, nil
	}
	over, err := decodeOverrides(r.root, s.overrides.Resources[req.TypeName])
	if err == nil {
		planned, err = withOverrides(r.root, planned, over)
	}
	var state tftypes.Value
	if err == nil {
		state, err = resolveUnknown(r.root, planned, config, seedOf(req.TypeName, req.Config))
	}
	if err != nil {
		return &tfprotov5.ApplyResourceChangeResponse{Diagnostics: errorDiag("Applying failed", err.Error())}, nil
	}
	dv, diags := dynamic(typ, state)
	return &tfprotov5.ApplyResourceChangeResponse{NewState: dv, Private: req.PlannedPrivate, Diagnostics: diags}, nil
}

// Import knows nothing but the identifier it is given; the next plan shows the configuration to be applied.
func (s *server) ImportResourceState(_ context.Context, req *tfprotov5.ImportResourceStateRequest) (*tfprotov5.ImportResourceStateResponse, error) {
	r, diags := s.resource(req.TypeName)
	if diags != nil {
		return &tfprotov5.ImportResourceStateResponse{Diagnostics: diags}, nil
	}
	typ := r.valueType().(tftypes.Object)
	attrs := map[string]tftypes.Value{}
	for name, t := range typ.AttributeTypes {
		attrs[name] = tftypes.NewValue(t, nil)
	}
	if _, ok := attrs["id"]; ok {
		attrs["id"] = tftypes.NewValue(tftypes.String, req.ID)
	}
	dv, diags := dynamic(typ, tftypes.NewValue(typ, attrs))
	return &tfprotov5.ImportResourceStateResponse{
		ImportedResources: []*tfprotov5.ImportedResource{{TypeName: req.TypeName, State: dv}},
		Diagnostics:       diags,
	}, nil
}

func (s *server) MoveResourceState(context.Context, *tfprotov5.MoveResourceStateRequest) (*tfprotov5.MoveResourceStateResponse, error) {
	return &tfprotov5.MoveResourceStateResponse{Diagnostics: unsupported("MoveResourceState")}, nil
}

func (s *server) UpgradeResourceIdentity(context.Context, *tfprotov5.UpgradeResourceIdentityRequest) (*tfprotov5.UpgradeResourceIdentityResponse, error) {
	return &tfprotov5.UpgradeResourceIdentityResponse{Diagnostics: unsupported("UpgradeResourceIdentity")}, nil
}

func (s *server) GenerateResourceConfig(context.Context, *tfprotov5.GenerateResourceConfigRequest) (*tfprotov5.GenerateResourceConfigResponse, error) {
	return &tfprotov5.GenerateResourceConfigResponse{Diagnostics: unsupported("GenerateResourceConfig")}, nil
}

// --- data sources ----------------------------------------------------------------------------------------

func (s *server) ValidateDataSourceConfig(_ context.Context, req *tfprotov5.ValidateDataSourceConfigRequest) (*tfprotov5.ValidateDataSourceConfigResponse, error) {
	_, diags := s.dataSource(req.TypeName)
	return &tfprotov5.ValidateDataSourceConfigResponse{Diagnostics: diags}, nil
}

func (s *server) ReadDataSource(_ context.Context, req *tfprotov5.ReadDataSourceRequest) (*tfprotov5.ReadDataSourceResponse, error) {
	d, diags := s.dataSource(req.TypeName)
	if diags != nil {
		return &tfprotov5.ReadDataSourceResponse{Diagnostics: diags}, nil
	}
	typ := d.valueType()
	config, diags := decode(typ, req.Config)
	if diags != nil {
		return &tfprotov5.ReadDataSourceResponse{Diagnostics: diags}, nil
	}
	over, err := decodeOverrides(d.root, s.overrides.DataSources[req.TypeName])
	if err == nil {
		config, err = withOverrides(d.root, config, over)
	}
	var state tftypes.Value
	if err == nil {
		state, err = fillComputed(d.root, config, seedOf(req.TypeName, req.Config))
	}
	if err != nil {
		return &tfprotov5.ReadDataSourceResponse{Diagnostics: errorDiag("Reading failed", err.Error())}, nil
	}
	dv, diags := dynamic(typ, state)
	return &tfprotov5.ReadDataSourceResponse{State: dv, Diagnostics: diags}, nil
}

// --- everything else the protocol has: answered cleanly as unsupported -----------------------------------

func (s *server) GetFunctions(context.Context, *tfprotov5.GetFunctionsRequest) (*tfprotov5.GetFunctionsResponse, error) {
	return &tfprotov5.GetFunctionsResponse{Functions: map[string]*tfprotov5.Function{}}, nil
}

func (s *server) CallFunction(context.Context, *tfprotov5.CallFunctionRequest) (*tfprotov5.CallFunctionResponse, error) {
	return &tfprotov5.CallFunctionResponse{Error: &tfprotov5.FunctionError{Text: "the schema double has no functions"}}, nil
}

func (s *server) ValidateEphemeralResourceConfig(context.Context, *tfprotov5.ValidateEphemeralResourceConfigRequest) (*tfprotov5.ValidateEphemeralResourceConfigResponse, error) {
	return &tfprotov5.ValidateEphemeralResourceConfigResponse{Diagnostics: unsupported("Ephemeral resources")}, nil
}

func (s *server) OpenEphemeralResource(context.Context, *tfprotov5.OpenEphemeralResourceRequest) (*tfprotov5.OpenEphemeralResourceResponse, error) {
	return &tfprotov5.OpenEphemeralResourceResponse{Diagnostics: unsupported("Ephemeral resources")}, nil
}

func (s *server) RenewEphemeralResource(context.Context, *tfprotov5.RenewEphemeralResourceRequest) (*tfprotov5.RenewEphemeralResourceResponse, error) {
	return &tfprotov5.RenewEphemeralResourceResponse{Diagnostics: unsupported("Ephemeral resources")}, nil
}

func (s *server) CloseEphemeralResource(context.Context, *tfprotov5.CloseEphemeralResourceRequest) (*tfprotov5.CloseEphemeralResourceResponse, error) {
	return &tfprotov5.CloseEphemeralResourceResponse{}, nil
}
