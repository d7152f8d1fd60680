package main

// Reading a `terraform providers schema -json` dump into the protocol's schema types. The dump keeps structure
// only (names, types, flags, nesting, item bounds); that is everything Terraform itself validates against.

import (
	"encoding/json"
	"fmt"
	"sort"

	"github.com/hashicorp/terraform-plugin-go/tfprotov5"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

type dumpFile struct {
	ProviderSchemas map[string]dumpProvider `json:"provider_schemas"`
}

type dumpProvider struct {
	Provider          dumpSchema            `json:"provider"`
	ResourceSchemas   map[string]dumpSchema `json:"resource_schemas"`
	DataSourceSchemas map[string]dumpSchema `json:"data_source_schemas"`
}

type dumpSchema struct {
	Version int64     `json:"version"`
	Block   dumpBlock `json:"block"`
}

type dumpBlock struct {
	Attributes map[string]dumpAttribute   `json:"attributes"`
	BlockTypes map[string]dumpNestedBlock `json:"block_types"`
	Deprecated bool                       `json:"deprecated"`
}

type dumpAttribute struct {
	Type       json.RawMessage `json:"type"`
	Required   bool            `json:"required"`
	Optional   bool            `json:"optional"`
	Computed   bool            `json:"computed"`
	Sensitive  bool            `json:"sensitive"`
	Deprecated bool            `json:"deprecated"`
	WriteOnly  bool            `json:"write_only"`
}

type dumpNestedBlock struct {
	NestingMode string    `json:"nesting_mode"`
	Block       dumpBlock `json:"block"`
	MinItems    int64     `json:"min_items"`
	MaxItems    int64     `json:"max_items"`
}

// block is the double's own view of a schema block: the protocol form plus quick lookups by name.
type block struct {
	proto      *tfprotov5.SchemaBlock
	attributes map[string]*tfprotov5.SchemaAttribute
	blocks     map[string]*nestedBlock
}

type nestedBlock struct {
	nesting tfprotov5.SchemaNestedBlockNestingMode
	block   *block
}

type schema struct {
	version int64
	root    *block
}

func (s *schema) proto() *tfprotov5.Schema {
	return &tfprotov5.Schema{Version: s.version, Block: s.root.proto}
}

func (s *schema) valueType() tftypes.Type { return s.root.proto.ValueType() }

type providerSchemas struct {
	provider    *schema
	resources   map[string]*schema
	dataSources map[string]*schema
}

var nestingModes = map[string]tfprotov5.SchemaNestedBlockNestingMode{
	"single": tfprotov5.SchemaNestedBlockNestingModeSingle,
	"list":   tfprotov5.SchemaNestedBlockNestingModeList,
	"set":    tfprotov5.SchemaNestedBlockNestingModeSet,
	"map":    tfprotov5.SchemaNestedBlockNestingModeMap,
	"group":  tfprotov5.SchemaNestedBlockNestingModeGroup,
}

// loadSchemas reads the dump; it must hold exactly one provider, the one this binary stands in for.
func loadSchemas(raw []byte) (*providerSchemas, error) {
	var dump dumpFile
	if err := json.Unmarshal(raw, &dump); err != nil {
		return nil, fmt.Errorf("schema file: %w", err)
	}
	if len(dump.ProviderSchemas) != 1 {
		return nil, fmt.Errorf("schema file: expected one provider, found %d", len(dump.ProviderSchemas))
	}
	for _, p := range dump.ProviderSchemas {
		out := &providerSchemas{resources: map[string]*schema{}, dataSources: map[string]*schema{}}
		var err error
		if out.provider, err = convertSchema(p.Provider); err != nil {
			return nil, fmt.Errorf("provider: %w", err)
		}
		for name, s := range p.ResourceSchemas {
			if out.resources[name], err = convertSchema(s); err != nil {
				return nil, fmt.Errorf("resource %s: %w", name, err)
			}
		}
		for name, s := range p.DataSourceSchemas {
			if out.dataSources[name], err = convertSchema(s); err != nil {
				return nil, fmt.Errorf("data source %s: %w", name, err)
			}
		}
		return out, nil
	}
	panic("unreachable")
}

func convertSchema(s dumpSchema) (*schema, error) {
	root, err := convertBlock(s.Block, s.Version)
	if err != nil {
		return nil, err
	}
	return &schema{version: s.Version, root: root}, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func convertBlock(b dumpBlock, version int64) (*block, error) {
	out := &block{
		proto:      &tfprotov5.SchemaBlock{Version: version, Deprecated: b.Deprecated},
		attributes: map[string]*tfprotov5.SchemaAttribute{},
		blocks:     map[string]*nestedBlock{},
	}
	for _, name := range sortedKeys(b.Attributes) {
		a := b.Attributes[name]
		typ, err := tftypes.ParseJSONType(a.Type)
		if err != nil {
			return nil, fmt.Errorf("attribute %s: %w", name, err)
		}
		attr := &tfprotov5.SchemaAttribute{
			Name: name, Type: typ, Required: a.Required, Optional: a.Optional, Computed: a.Computed,
			Sensitive: a.Sensitive, Deprecated: a.Deprecated, WriteOnly: a.WriteOnly,
		}
		out.proto.Attributes = append(out.proto.Attributes, attr)
		out.attributes[name] = attr
	}
	for _, name := range sortedKeys(b.BlockTypes) {
		nb := b.BlockTypes[name]
		mode, ok := nestingModes[nb.NestingMode]
		if !ok {
			return nil, fmt.Errorf("block %s: unknown nesting mode %q", name, nb.NestingMode)
		}
		inner, err := convertBlock(nb.Block, 0)
		if err != nil {
			return nil, fmt.Errorf("block %s: %w", name, err)
		}
		out.proto.BlockTypes = append(out.proto.BlockTypes, &tfprotov5.SchemaNestedBlock{
			TypeName: name, Block: inner.proto, Nesting: mode, MinItems: nb.MinItems, MaxItems: nb.MaxItems,
		})
		out.blocks[name] = &nestedBlock{nesting: mode, block: inner}
	}
	return out, nil
}
