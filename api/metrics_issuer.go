package api

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/sociaaldomein/bewijs/issuer"
)

// issuerMetrics counts issuances and failures by reason for Prometheus.
type issuerMetrics struct {
	issued *prometheus.CounterVec
	failed *prometheus.CounterVec
}

// NewIssuerMetrics registers the issuance counters on reg.
func NewIssuerMetrics(reg *prometheus.Registry) (issuer.Metrics, error) {
	m := &issuerMetrics{
		issued: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "bewijs_credentials_issued_total", Help: "Credentials issued, by credential configuration.",
		}, []string{"configuration"}),
		failed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "bewijs_issuance_failures_total", Help: "Refused or failed issuance steps, by protocol error code.",
		}, []string{"reason"}),
	}
	for _, c := range []prometheus.Collector{m.issued, m.failed} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

func (m *issuerMetrics) Issued(configurationID string, n int) {
	m.issued.WithLabelValues(configurationID).Add(float64(n))
}

func (m *issuerMetrics) Failed(reason string) { m.failed.WithLabelValues(reason).Inc() }
