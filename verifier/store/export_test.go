package store

import (
	"context"

	"github.com/sociaaldomein/bewijs/verifier"
)

// CompleteBatch runs one batch of completions as the group commit would.
func (s *Store) CompleteBatch(ctx context.Context, ids []string, cs []verifier.Completion) []error {
	batch := make([]completion, len(ids))
	for i := range ids {
		batch[i] = completion{id: ids[i], c: cs[i]}
	}
	return s.completeBatch(ctx, batch)
}
