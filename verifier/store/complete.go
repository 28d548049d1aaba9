package store

import (
	"cmp"
	"context"
	"database/sql"
	"strconv"
	"strings"
	"sync"

	auditstore "github.com/sociaaldomein/bewijs/internal/audit/store"
	"github.com/sociaaldomein/bewijs/internal/dbutil"
	"github.com/sociaaldomein/bewijs/verifier"
)

// Complete stores the outcome of a response and its audit record atomically; the conditional
// update lets exactly one response complete a request. Concurrent completions are written
// together (dbutil.Group): on PostgreSQL one statement, on SQLite one transaction, for a
// whole batch. Each keeps its own outcome: a batch that fails is retried one by one.
func (s *Store) Complete(ctx context.Context, id string, c verifier.Completion) error {
	return s.completions.Do(ctx, completion{id: id, c: c})
}

// completion is one call of Complete.
type completion struct {
	id string
	c  verifier.Completion
}

// maxCompletionBatch bounds a batch: 18 parameters a row stays far below PostgreSQL's
// 65,535.
const maxCompletionBatch = 64

// completeBatch is the run of the completions Group.
func (s *Store) completeBatch(ctx context.Context, batch []completion) []error {
	errs := make([]error, len(batch))
	// Two responses to one request in one batch: at most one can complete it, and the
	// statement would count one updated row for both. The later ones conflict.
	first := make(map[string]bool, len(batch))
	todo := make([]int, 0, len(batch))
	for i, b := range batch {
		if first[b.id] {
			errs[i] = verifier.ErrConflict
			continue
		}
		first[b.id] = true
		todo = append(todo, i)
	}
	if len(todo) > 1 {
		var done map[string]bool
		var err error
		if s.db.Name() == "postgres" {
			done, err = s.completeStatement(ctx, batch, todo)
		} else {
			done, err = s.completeTransaction(ctx, batch, todo)
		}
		if err == nil {
			for _, i := range todo {
				if !done[batch[i].id] {
					errs[i] = verifier.ErrConflict
				}
			}
			return errs
		}
		// One bad item must not fail the others: retry each alone.
	}
	for _, i := range todo {
		errs[i] = s.completeOne(ctx, batch[i].id, batch[i].c)
	}
	return errs
}

// completeOne is a batch of one.
func (s *Store) completeOne(ctx context.Context, id string, c verifier.Completion) error {
	if s.db.Name() == "postgres" {
		return s.completeOneStatement(ctx, id, c)
	}
	done, err := s.completeTransaction(ctx, []completion{{id: id, c: c}}, []int{0})
	if err == nil && !done[id] {
		err = verifier.ErrConflict
	}
	return err
}

// SQLite has no data-modifying CTE: a batch is one UPDATE … FROM a VALUES list, RETURNING
// the ids it completed, and one INSERT of their audit records, in one transaction. Its driver
// compiles a statement on every execution (a prepared one too), so two statements a batch
// instead of two a completion is what saves the engine's work; the text of each batch size
// is built once (bySize).

// sqliteUpdateSQL completes n requests: those still retrieved and unexpired.
func sqliteUpdateSQL(n int) string {
	return `WITH v (id, state, reason, result, response_code_hash, evidence, evidence_expires_at, completed_at) AS (VALUES ` +
		placeholderRows(n, 8) + `)
UPDATE presentation_requests SET state = v.state, reason = v.reason, result = v.result,
  response_code_hash = v.response_code_hash, evidence = v.evidence, evidence_expires_at = v.evidence_expires_at,
  completed_at = v.completed_at
FROM v WHERE presentation_requests.id = v.id AND presentation_requests.state = '` + string(verifier.Retrieved) + `'
  AND presentation_requests.expires_at > v.completed_at
RETURNING presentation_requests.id`
}

// sqliteAuditSQL inserts n audit records.
func sqliteAuditSQL(n int) string {
	return `INSERT INTO audit_events (` + auditstore.InsertColumns + `) VALUES ` + placeholderRows(n, 10)
}

// placeholderRows is "(?, …), (?, …)": n rows of cols placeholders.
func placeholderRows(n, cols int) string {
	row := "(" + strings.Repeat("?, ", cols-1) + "?)"
	return strings.Repeat(row+", ", n-1) + row
}

// completeTransaction completes the batch items todo in one transaction (SQLite): one
// commit for all of them. done holds the ids it completed; the others were not there to
// complete (answered, expired or gone).
func (s *Store) completeTransaction(ctx context.Context, batch []completion, todo []int) (map[string]bool, error) {
	done, err := s.sqliteComplete(ctx, batch, todo)
	if err != nil {
		return nil, mapErr("complete presentation requests", err)
	}
	return done, nil
}

func (s *Store) sqliteComplete(ctx context.Context, batch []completion, todo []int) (map[string]bool, error) {
	db, err := s.db.DB()
	if err != nil {
		return nil, err
	}
	args := make([]any, 0, 8*len(todo))
	for _, i := range todo {
		c := batch[i].c
		args = append(args, batch[i].id, string(c.State), dbutil.Opt(string(c.Reason)), dbutil.Opt(c.Result),
			dbutil.Opt(c.ResponseCodeHash), dbutil.Opt(c.Evidence), utc(c.EvidenceExpires), c.At.UTC())
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer func() { _ = tx.Rollback() }() // a no-op after Commit
	done, err := returnedIDs(tx.QueryContext(ctx, sqliteUpdates.get(len(todo), sqliteUpdateSQL), args...))
	if err != nil {
		return nil, err
	}
	// The audit records of the completed requests only, as on PostgreSQL.
	args = args[:0]
	for _, i := range todo {
		if done[batch[i].id] {
			a, err := auditstore.InsertArgs(batch[i].c.Audit)
			if err != nil {
				return nil, err
			}
			args = append(args, a...)
		}
	}
	if len(done) > 0 {
		if _, err := tx.ExecContext(ctx, sqliteAudits.get(len(done), sqliteAuditSQL), args...); err != nil {
			return nil, err
		}
	}
	return done, tx.Commit()
}

// returnedIDs reads the ids a RETURNING clause gave.
func returnedIDs(rows *sql.Rows, err error) (map[string]bool, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	done := map[string]bool{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		done[id] = true
	}
	return done, rows.Err()
}

// completeSQL is Complete in one statement for PostgreSQL: the conditional update and its
// audit record, atomic as one statement is, in one round trip instead of four (BEGIN, UPDATE,
// INSERT, COMMIT). The audit row is written only when the update matched.
const completeSQL = `WITH done AS (
  UPDATE presentation_requests SET state = ?, reason = ?, result = ?, response_code_hash = ?, evidence = ?,
    evidence_expires_at = ?, completed_at = ?
  WHERE id = ? AND state = ? AND expires_at > ? RETURNING id)
INSERT INTO audit_events (` + auditstore.InsertColumns + `) SELECT ` + auditstore.InsertSelect + ` FROM done`

func (s *Store) completeOneStatement(ctx context.Context, id string, c verifier.Completion) error {
	auditArgs, err := auditstore.InsertArgs(c.Audit)
	if err != nil {
		return err
	}
	args := append([]any{string(c.State), dbutil.Opt(string(c.Reason)), dbutil.Opt(c.Result), dbutil.Opt(c.ResponseCodeHash),
		dbutil.Opt(c.Evidence), utc(c.EvidenceExpires), c.At.UTC(), id, string(verifier.Retrieved), c.At.UTC()}, auditArgs...)
	res, err := s.db.ConnPool.ExecContext(ctx, completeOneSQL, args...)
	if err != nil {
		return mapErr("complete presentation request", err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return cmp.Or(mapErr("complete presentation request", err), verifier.ErrConflict)
	}
	return nil
}

// completeOneSQL is completeSQL as the driver takes it (see completeStatement).
var completeOneSQL = numberPlaceholders(completeSQL)

// completeStatement completes the batch items todo in one statement (PostgreSQL): the
// completions as a VALUES list, one conditional UPDATE … FROM it, the audit records of the
// rows it updated, and those rows' ids back.
func (s *Store) completeStatement(ctx context.Context, batch []completion, todo []int) (map[string]bool, error) {
	args := make([]any, 0, len(todo)*18)
	for _, i := range todo {
		c := batch[i].c
		auditArgs, err := auditstore.InsertArgs(c.Audit)
		if err != nil {
			return nil, err
		}
		args = append(args, batch[i].id, string(c.State), dbutil.Opt(string(c.Reason)), dbutil.Opt(c.Result),
			dbutil.Opt(c.ResponseCodeHash), dbutil.Opt(c.Evidence), utc(c.EvidenceExpires), c.At.UTC())
		args = append(args, auditArgs...)
	}
	// The statement goes to the driver as it is, with PostgreSQL's own placeholders: gorm
	// would rebuild it character by character for every call.
	done, err := returnedIDs(s.db.ConnPool.QueryContext(ctx, completeBatchSQL(len(todo)), args...))
	if err != nil {
		return nil, mapErr("complete presentation requests", err)
	}
	return done, nil
}

// bySize holds a statement's text for each batch size, built when first used.
type bySize [maxCompletionBatch + 1]struct {
	once sync.Once
	sql  string
}

// get is the text for n rows.
func (b *bySize) get(n int, build func(int) string) string {
	c := &b[n]
	c.once.Do(func() { c.sql = build(n) })
	return c.sql
}

var pgCompletions, sqliteUpdates, sqliteAudits bySize

// completeBatchSQL is the statement of completeStatement for n completions.
func completeBatchSQL(n int) string {
	return pgCompletions.get(n, func(n int) string { return numberPlaceholders(buildCompleteBatchSQL(n)) })
}

// numberPlaceholders turns each ? into PostgreSQL's $1, $2, … in order.
func numberPlaceholders(q string) string {
	var b strings.Builder
	k := 0
	for _, r := range q {
		if r != '?' {
			b.WriteRune(r)
			continue
		}
		k++
		b.WriteString("$" + strconv.Itoa(k))
	}
	return b.String()
}

func buildCompleteBatchSQL(n int) string {
	auditCols := strings.Split(auditstore.InsertColumns, ", ")
	var b strings.Builder
	b.WriteString("WITH v (id, state, reason, result, response_code_hash, evidence, evidence_expires_at, completed_at")
	for _, col := range auditCols {
		b.WriteString(", a_" + col)
	}
	b.WriteString(") AS (VALUES ")
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("(CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), " +
			"CAST(? AS TIMESTAMP), CAST(? AS TIMESTAMP), " + auditstore.InsertSelect + ")")
	}
	b.WriteString(`),
done AS (
  UPDATE presentation_requests p SET state = v.state, reason = v.reason, result = v.result,
    response_code_hash = v.response_code_hash, evidence = v.evidence, evidence_expires_at = v.evidence_expires_at,
    completed_at = v.completed_at
  FROM v WHERE p.id = v.id AND p.state = '` + string(verifier.Retrieved) + `' AND p.expires_at > v.completed_at
  RETURNING p.id),
audited AS (
  INSERT INTO audit_events (` + auditstore.InsertColumns + `) SELECT `)
	for i, col := range auditCols {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("v.a_" + col)
	}
	b.WriteString(` FROM v JOIN done ON done.id = v.id)
SELECT id FROM done`)
	return b.String()
}
