package telemetry_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestOnlyTelemetryImportsOpenTelemetry keeps OpenTelemetry out of every
// other package of the module, tests included, so a program that does not
// import telemetry does not build it: go list must show no other package
// importing go.opentelemetry.io/...
func TestOnlyTelemetryImportsOpenTelemetry(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go command is not on PATH:", err)
	}
	cmd := exec.Command(goTool, "list", "-f", `{{.ImportPath}} {{join .Imports " "}} {{join .TestImports " "}} {{join .XTestImports " "}}`, "github.com/pushwire/push/...")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for line := range strings.Lines(string(out)) {
		fields := strings.Fields(line)
		if len(fields) == 0 || fields[0] == "github.com/pushwire/push/telemetry" {
			continue
		}
		for _, imp := range fields[1:] {
			if strings.HasPrefix(imp, "go.opentelemetry.io/") {
				t.Errorf("package %s imports %s; only telemetry may import OpenTelemetry", fields[0], imp)
			}
		}
	}
}

// TestOnlyTheAPIIsADependency: the package itself imports the
// OpenTelemetry API, never the SDK, which only its tests use.
func TestOnlyTheAPIIsADependency(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go command is not on PATH:", err)
	}
	out, err := exec.Command(goTool, "list", "-deps", "github.com/pushwire/push/telemetry").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for dep := range strings.Lines(string(out)) {
		if strings.HasPrefix(dep, "go.opentelemetry.io/otel/sdk") {
			t.Errorf("telemetry depends on %s; only its tests may use the SDK", strings.TrimSpace(dep))
		}
	}
}
