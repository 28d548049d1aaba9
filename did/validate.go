package did

import (
	"errors"
	"fmt"
)

// validate applies the DID Core rules bewijs relies on. Messages name positions, never values.
func (d Document) validate() error {
	// §5.1.1: "The value of id MUST be a string that conforms to the rules in 3.1 DID Syntax".
	if d.ID == "" {
		return errors.New("missing id")
	}
	if _, _, err := ParseDID(d.ID); err != nil {
		return errors.New("id is not a DID")
	}
	// §5.1.2: "each string in the value of the controller property MUST be a string that
	// conforms to the rules in 3.1 DID Syntax".
	for i, c := range d.Controller {
		if _, _, err := ParseDID(c); err != nil {
			return fmt.Errorf("controller %d is not a DID", i)
		}
	}
	if err := validateMethods(d.VerificationMethod); err != nil {
		return err
	}
	for _, rel := range []Relationship{Authentication, AssertionMethod} {
		if err := validateReferences(rel, d.References(rel)); err != nil {
			return err
		}
	}
	return nil
}

func validateMethods(vms []VerificationMethod) error {
	seen := make(map[string]bool, len(vms))
	for i, vm := range vms {
		if err := validateMethod(vm); err != nil {
			return fmt.Errorf("verification method %d: %w", i, err)
		}
		// §5.2: "The verificationMethod property ... MUST NOT contain multiple verification
		// method maps with the same id."
		if seen[vm.ID] {
			return fmt.Errorf("verification method %d: duplicate id", i)
		}
		seen[vm.ID] = true
	}
	return nil
}

// §5.2: "The value of the id property for a verification method MUST be a string that
// conforms to the rules in Section 3.2 DID URL Syntax." ... "The value of the type
// property MUST be a string".
func validateMethod(vm VerificationMethod) error {
	if vm.ID == "" {
		return errors.New("missing id")
	}
	if _, _, _, _, err := splitDIDURL(vm.ID); err != nil {
		return errors.New("id is not a DID URL")
	}
	if vm.Type == "" {
		return errors.New("missing type")
	}
	if vm.Controller != "" {
		if _, _, err := ParseDID(vm.Controller); err != nil {
			return errors.New("controller is not a DID")
		}
	}
	return nil
}

func validateReferences(rel Relationship, refs []string) error {
	for i, ref := range refs {
		if _, _, _, _, err := splitDIDURL(ref); err != nil {
			return fmt.Errorf("%s entry %d is not a DID URL", rel, i)
		}
	}
	return nil
}
