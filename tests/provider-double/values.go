package main

// How the double fills values, generic over any schema:
//   plan:  a computed attribute that is null (not set in config, not known from prior state) becomes unknown;
//   apply: every unknown becomes the configured value when config now knows it, else a generated value;
//   read of a data source: every computed attribute left null is generated (or taken from the overrides file).
// Generated values derive from a seed (resource type and configuration) and the attribute path only, so the
// same inputs give the same values on every run and machine.

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math/big"
	"strings"

	"github.com/hashicorp/terraform-plugin-go/tfprotov5"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

type objectFn func(b *block, obj map[string]tftypes.Value, other map[string]tftypes.Value, seed string) (map[string]tftypes.Value, error)

// markUnknown is the plan rule.
func markUnknown(b *block, val tftypes.Value) (tftypes.Value, error) {
	return eachObject(b, val, tftypes.Value{}, "", func(b *block, obj, _ map[string]tftypes.Value, _ string) (map[string]tftypes.Value, error) {
		for name, attr := range b.attributes {
			if v, ok := obj[name]; ok && attr.Computed && v.IsNull() {
				obj[name] = tftypes.NewValue(attr.Type, tftypes.UnknownValue)
			}
		}
		return obj, nil
	})
}

// resolveUnknown is the apply rule; config is the now fully known configuration of the same resource.
func resolveUnknown(b *block, planned, config tftypes.Value, seed string) (tftypes.Value, error) {
	return eachObject(b, planned, config, seed, func(b *block, obj, cfg map[string]tftypes.Value, seed string) (map[string]tftypes.Value, error) {
		for name, attr := range b.attributes {
			v := obj[name]
			if v.IsKnown() {
				continue
			}
			if c, ok := cfg[name]; ok && c.IsFullyKnown() && !c.IsNull() {
				obj[name] = c
				continue
			}
			obj[name] = generate(attr.Type, seed+"/"+name, name)
		}
		return obj, nil
	})
}

// fillComputed is the data-source rule.
func fillComputed(b *block, val tftypes.Value, seed string) (tftypes.Value, error) {
	return eachObject(b, val, tftypes.Value{}, seed, func(b *block, obj, _ map[string]tftypes.Value, seed string) (map[string]tftypes.Value, error) {
		for name, attr := range b.attributes {
			if v := obj[name]; attr.Computed && v.IsNull() {
				obj[name] = generate(attr.Type, seed+"/"+name, name)
			}
		}
		return obj, nil
	})
}

// withOverrides sets top-level attributes from the overrides file where the value is not yet known: computed
// attributes only (null or unknown), so a configured value always wins.
func withOverrides(b *block, val tftypes.Value, overrides map[string]tftypes.Value) (tftypes.Value, error) {
	if len(overrides) == 0 || val.IsNull() || !val.IsKnown() {
		return val, nil
	}
	obj := map[string]tftypes.Value{}
	if err := val.As(&obj); err != nil {
		return val, err
	}
	for name, o := range overrides {
		attr, ok := b.attributes[name]
		if v := obj[name]; ok && attr.Computed && (v.IsNull() || !v.IsKnown()) {
			obj[name] = o
		}
	}
	return tftypes.NewValue(val.Type(), obj), nil
}

// eachObject applies fn to the object of block b held in val and, recursively, to every nested block object.
// other is a value of the same shape (or the zero Value) whose matching parts are handed to fn alongside.
func eachObject(b *block, val, other tftypes.Value, seed string, fn objectFn) (tftypes.Value, error) {
	if val.IsNull() || !val.IsKnown() {
		return val, nil
	}
	obj := map[string]tftypes.Value{}
	if err := val.As(&obj); err != nil {
		return val, err
	}
	otherObj := map[string]tftypes.Value{}
	if other.Type() != nil && other.IsKnown() && !other.IsNull() {
		if err := other.As(&otherObj); err != nil {
			return val, err
		}
	}
	for name, nb := range b.blocks {
		v, ok := obj[name]
		if !ok {
			continue
		}
		if !v.IsKnown() {
			// A dynamic block whose contents were unknown at plan: its configured contents, filled.
			if c, ok := otherObj[name]; ok && c.IsFullyKnown() {
				filled, err := fillNested(nb, c, seed+"/"+name)
				if err != nil {
					return val, err
				}
				obj[name] = filled
			}
			continue
		}
		updated, err := eachNested(nb, v, otherObj[name], seed+"/"+name, fn)
		if err != nil {
			return val, err
		}
		obj[name] = updated
	}
	obj, err := fn(b, obj, otherObj, seed)
	if err != nil {
		return val, err
	}
	return tftypes.NewValue(val.Type(), obj), nil
}

func fillNested(nb *nestedBlock, val tftypes.Value, seed string) (tftypes.Value, error) {
	return eachNested(nb, val, tftypes.Value{}, seed, func(b *block, obj, _ map[string]tftypes.Value, seed string) (map[string]tftypes.Value, error) {
		for name, attr := range b.attributes {
			if v := obj[name]; attr.Computed && (v.IsNull() || !v.IsKnown()) {
				obj[name] = generate(attr.Type, seed+"/"+name, name)
			}
		}
		return obj, nil
	})
}

func eachNested(nb *nestedBlock, val, other tftypes.Value, seed string, fn objectFn) (tftypes.Value, error) {
	if val.IsNull() || !val.IsKnown() {
		return val, nil
	}
	hasOther := other.Type() != nil && other.IsKnown() && !other.IsNull()
	switch nb.nesting {
	case tfprotov5.SchemaNestedBlockNestingModeSingle, tfprotov5.SchemaNestedBlockNestingModeGroup:
		return eachObject(nb.block, val, other, seed, fn)
	case tfprotov5.SchemaNestedBlockNestingModeList, tfprotov5.SchemaNestedBlockNestingModeSet:
		var elems, otherElems []tftypes.Value
		if err := val.As(&elems); err != nil {
			return val, err
		}
		// Sets have no stable index to pair with config: their elements are seeded by content instead.
		isList := nb.nesting == tfprotov5.SchemaNestedBlockNestingModeList
		if hasOther && isList {
			if err := other.As(&otherElems); err != nil {
				return val, err
			}
		}
		out := make([]tftypes.Value, len(elems))
		for i, e := range elems {
			var o tftypes.Value
			if i < len(otherElems) {
				o = otherElems[i]
			}
			key := fmt.Sprint(i)
			if !isList {
				key = digest(e.String())
			}
			updated, err := eachObject(nb.block, e, o, seed+"/"+key, fn)
			if err != nil {
				return val, err
			}
			out[i] = updated
		}
		return tftypes.NewValue(val.Type(), out), nil
	case tfprotov5.SchemaNestedBlockNestingModeMap:
		elems, otherElems := map[string]tftypes.Value{}, map[string]tftypes.Value{}
		if err := val.As(&elems); err != nil {
			return val, err
		}
		if hasOther {
			if err := other.As(&otherElems); err != nil {
				return val, err
			}
		}
		for k, e := range elems {
			updated, err := eachObject(nb.block, e, otherElems[k], seed+"/"+k, fn)
			if err != nil {
				return val, err
			}
			elems[k] = updated
		}
		return tftypes.NewValue(val.Type(), elems), nil
	}
	return val, fmt.Errorf("unsupported nesting mode %v", nb.nesting)
}

func digest(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// generate makes a deterministic, type-correct value. Strings take a shape from the attribute's name where the
// name says what it holds (an identifier, a timestamp), so that callers' own format checks accept them.
func generate(typ tftypes.Type, seed, name string) tftypes.Value {
	h := sha256.Sum256([]byte(seed))
	switch {
	case typ.Is(tftypes.String), typ.Is(tftypes.DynamicPseudoType):
		return tftypes.NewValue(tftypes.String, generateString(h, name))
	case typ.Is(tftypes.Number):
		return tftypes.NewValue(tftypes.Number, new(big.Float).SetUint64(1+binary.BigEndian.Uint64(h[:8])%1000))
	case typ.Is(tftypes.Bool):
		return tftypes.NewValue(tftypes.Bool, false)
	case typ.Is(tftypes.List{}):
		elem := typ.(tftypes.List).ElementType
		return tftypes.NewValue(typ, []tftypes.Value{generate(elem, seed+"/0", name)})
	case typ.Is(tftypes.Set{}):
		elem := typ.(tftypes.Set).ElementType
		return tftypes.NewValue(typ, []tftypes.Value{generate(elem, seed+"/0", name)})
	case typ.Is(tftypes.Map{}):
		return tftypes.NewValue(typ, map[string]tftypes.Value{})
	case typ.Is(tftypes.Tuple{}):
		elems := typ.(tftypes.Tuple).ElementTypes
		out := make([]tftypes.Value, len(elems))
		for i, e := range elems {
			out[i] = generate(e, fmt.Sprintf("%s/%d", seed, i), name)
		}
		return tftypes.NewValue(typ, out)
	case typ.Is(tftypes.Object{}):
		attrs := typ.(tftypes.Object).AttributeTypes
		out := make(map[string]tftypes.Value, len(attrs))
		for n, t := range attrs {
			out[n] = generate(t, seed+"/"+n, n)
		}
		return tftypes.NewValue(typ, out)
	}
	return tftypes.NewValue(typ, nil)
}

func generateString(h [32]byte, name string) string {
	x := hex.EncodeToString(h[:])
	switch {
	case name == "id" || strings.HasSuffix(name, "_id") || strings.HasSuffix(name, "uuid"):
		return fmt.Sprintf("%s-%s-4%s-8%s-%s", x[0:8], x[8:12], x[13:16], x[17:20], x[20:32])
	case strings.HasSuffix(name, "_at"):
		// A fixed day, the hour and minute from the seed: a valid RFC 3339 time.
		return fmt.Sprintf("2026-01-01T%02d:%02d:00Z", h[0]%24, h[1]%60)
	}
	return fmt.Sprintf("%s-%s", name, x[:12])
}
