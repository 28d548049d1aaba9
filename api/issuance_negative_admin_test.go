package api_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/sociaaldomein/bewijs/internal/fixtures"
	"github.com/sociaaldomein/bewijs/internal/tenant"
)

// adminRefusal is a toewijzing the admin API must refuse: the problem names fields (RFC 9457
// invalid-params) and never repeats the citizen's data.
type adminRefusal struct {
	name    string
	rdam    bool // send it with gemeente Rotterdam's API key
	fixture string
	change  func(doc map[string]any)
	status  []int    // accepted statuses
	fields  []string // invalid-params names, when the status is 400
}

func adminRefusals() []adminRefusal {
	set := func(path string, v any) func(map[string]any) {
		return func(doc map[string]any) { setField(doc, path, v) }
	}
	bad := []int{http.StatusBadRequest}
	return []adminRefusal{
		// CS002: the BSN passes the elfproef (999990011 does not).
		{"error - invalid BSN", false, vciFixtureWmo, set("client.bsn", "999990011"), bad, []string{"client.bsn"}},
		// RS012: a product code has 1 to 5 characters.
		{"error - unknown productcode (6 characters)", false, vciFixtureWmo, set("toegewezenProduct.product.code", "01A012"), bad,
			[]string{"toegewezenProduct.product.code"}},
		// WMO020: 45 is a Jeugdwet categorie (JZ020), not one of the Wmo.
		{"error - categorie not in the code list of the wet", false, vciFixtureWmo, set("toegewezenProduct.product.categorie", "45"), bad,
			[]string{"toegewezenProduct.product.categorie"}},
		// CS003: the einddatum is not before the ingangsdatum.
		{"error - einddatum before ingangsdatum", false, vciFixtureWmo, func(doc map[string]any) {
			setField(doc, "toegewezenProduct.ingangsdatum", "2027-03-01")
			setField(doc, "toegewezenProduct.einddatum", "2027-02-01")
		}, bad, []string{"toegewezenProduct.einddatum"}},
		// A gemeente issues only its own toewijzingen: Rotterdam's key, Amsterdam's document.
		{"error - another gemeente's API key", true, vciFixtureWmo, nil, []int{http.StatusBadRequest, http.StatusForbidden},
			[]string{"gemeente.gemeentecode"}},
		// Fixture 11 was withdrawn (redenWijziging 13, einddatum = ingangsdatum in the past).
		{"error - already ended toewijzing (verwijderd)", false, "11-jw-ambulant-verwijderd.json", nil, bad,
			[]string{"toegewezenProduct.einddatum", "toegewezenProduct.redenWijziging"}},
		// Fixture 06b ended on 2026-06-30.
		{"error - already ended toewijzing (einddatum passed)", true, "06b-wmo-persoonlijke-verzorging-vervroegd-beeindigd.json", nil, bad,
			[]string{"toegewezenProduct.einddatum"}},
	}
}

func testAdminRefusals(t *testing.T, s *testServer, key string) {
	rotterdam, err := s.Env.Service.NewAPIKey(t.Context(), tenant.CLI, "gemeente-rotterdam", false)
	if err != nil {
		t.Fatal(err)
	}
	before := s.countRows(t, "beschikkingen")
	for _, tc := range adminRefusals() {
		t.Run(tc.name, func(t *testing.T) {
			doc := toewijzingDoc(t, tc.fixture)
			if tc.change != nil {
				tc.change(doc)
			}
			k := key
			if tc.rdam {
				k = rotterdam
			}
			res := s.postBeschikking(t, k, doc, "?tx_code=true")
			if !slices.Contains(tc.status, res.Status) || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/problem+json") {
				t.Fatalf("got %s (%s), want one of %v as problem+json", res.vciString(), res.Header.Get("Content-Type"), tc.status)
			}
			var p problemBody
			res.json(t, &p)
			var names []string
			for _, ip := range p.InvalidParams {
				names = append(names, ip.Name)
			}
			slices.Sort(names)
			if res.Status == http.StatusBadRequest && !slices.Equal(names, tc.fields) {
				t.Fatalf("invalid-params = %v, want %v", names, tc.fields)
			}
			client := doc["client"].(map[string]any)
			achternaam := client["naam"].(map[string]any)["geslachtsnaam"].(map[string]any)["achternaam"].(string)
			for _, secret := range []string{client["bsn"].(string), achternaam} {
				if strings.Contains(string(res.Body), secret) {
					t.Fatalf("the problem repeats personal data %q: %s", secret, res.Body)
				}
			}
		})
	}
	if after := s.countRows(t, "beschikkingen"); after != before {
		t.Fatalf("refused documents left %d beschikkingen behind", after-before)
	}
}

// countRows counts the rows of a table.
func (s *testServer) countRows(t *testing.T, table string) int64 {
	t.Helper()
	var n int64
	if err := s.Env.DB.Gorm.Table(table).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// toewijzingDoc is a domain fixture as a JSON object, for tests that change fields.
func toewijzingDoc(t testing.TB, name string) map[string]any {
	t.Helper()
	raw, err := fixtures.Toewijzing(name)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// setField sets the value at a dotted path ("client.bsn") of doc.
func setField(doc map[string]any, path string, v any) {
	parts := strings.Split(path, ".")
	m := doc
	for _, p := range parts[:len(parts)-1] {
		m = m[p].(map[string]any)
	}
	m[parts[len(parts)-1]] = v
}

// withProducts turns a single-product document into one with n toegewezen producten, the
// toewijzingNummers first, first+1, ..., and the given beschikkingNummer.
func withProducts(doc map[string]any, n int, first int64, beschikkingNummer string) map[string]any {
	one := doc["toegewezenProduct"].(map[string]any)
	delete(doc, "toegewezenProduct")
	list := make([]any, n)
	for k := range list {
		p := make(map[string]any, len(one))
		for key, v := range one {
			p[key] = v
		}
		p["toewijzingNummer"] = first + int64(k)
		list[k] = p
	}
	doc["toegewezenProducten"] = list
	doc["beschikkingNummer"] = beschikkingNummer
	return doc
}

// postBeschikking sends doc to the admin API as the holder of key.
func (s *testServer) postBeschikking(t *testing.T, key string, doc map[string]any, query string) response {
	t.Helper()
	return s.postJSON(t, "/api/v1/beschikkingen"+query, key, doc)
}

// issuedRows counts, for one beschikking, the issued_credentials rows and the status list
// entries allocated for its credentials.
func (s *testServer) issuedRows(t *testing.T, beschikkingID string) (issued, entries int64) {
	t.Helper()
	db := s.Env.DB.Gorm
	if err := db.Raw(`SELECT count(*) FROM issued_credentials ic JOIN beschikking_credentials c ON c.id = ic.credential_id
		WHERE c.beschikking_id = ?`, beschikkingID).Scan(&issued).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Raw(`SELECT count(*) FROM status_list_entries e JOIN beschikking_credentials c ON c.id = e.credential_id
		WHERE c.beschikking_id = ?`, beschikkingID).Scan(&entries).Error; err != nil {
		t.Fatal(err)
	}
	return issued, entries
}

// beschikkingState is the state the admin API shows for a beschikking.
func (s *testServer) beschikkingState(t *testing.T, key, id string) string {
	t.Helper()
	res := s.do(t, http.MethodGet, "/api/v1/beschikkingen/"+id, key, "", nil)
	var v struct {
		State string `json:"state"`
	}
	if res.Status != http.StatusOK {
		t.Fatalf("get beschikking: %s", res.vciString())
	}
	res.json(t, &v)
	return v.State
}

// assertNothingIssued checks that a beschikking has no half-issued credential: no
// issued_credentials row, no status list entry, and it is still offered.
func (s *testServer) assertNothingIssued(t *testing.T, key, id string) {
	t.Helper()
	if issued, entries := s.issuedRows(t, id); issued != 0 || entries != 0 {
		t.Fatalf("after refused requests: %d issued_credentials rows and %d status list entries, want 0 and 0", issued, entries)
	}
	if st := s.beschikkingState(t, key, id); st != "offered" {
		t.Fatalf("state = %q, want offered", st)
	}
}
