// Command kstatus-check prints what kstatus (sigs.k8s.io/cli-utils/pkg/kstatus/status), the library
// Flux and kpt use for health, computes for one Kubernetes object read as JSON from stdin:
// {"status":"Current|InProgress|Failed|Terminating|NotFound|Unknown","message":"..."}.
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"
)

func main() {
	data, err := io.ReadAll(os.Stdin)
	if err != nil {
		fail("reading stdin: %v", err)
	}
	// Unstructured's own decoding keeps integers as int64, as kstatus expects (encoding/json would
	// give float64 and observedGeneration would not be read).
	obj := &unstructured.Unstructured{}
	if err := obj.UnmarshalJSON(data); err != nil {
		fail("not a Kubernetes object: %v", err)
	}
	result, err := status.Compute(obj)
	if err != nil {
		fail("kstatus: %v", err)
	}
	out := map[string]string{"status": result.Status.String(), "message": result.Message}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		fail("writing result: %v", err)
	}
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "kstatus-check: "+format+"\n", args...)
	os.Exit(2)
}
