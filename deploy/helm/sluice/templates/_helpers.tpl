{{/* The controller's objects are named after the release: release "sluice" gives deploy/base's names. */}}
{{- define "sluice.controller" -}}
{{ .Release.Name }}-controller
{{- end }}

{{/* Helm's bookkeeping labels, on every object beside deploy/base's own. */}}
{{- define "sluice.helmLabels" -}}
app.kubernetes.io/part-of: sluice
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end }}

{{- define "sluice.controllerLabels" -}}
app.kubernetes.io/name: sluice-controller
app.kubernetes.io/component: controller
{{ include "sluice.helmLabels" . }}
{{- end }}

{{- define "sluice.subject" -}}
- kind: ServiceAccount
  name: {{ include "sluice.controller" . }}
  namespace: {{ .Release.Namespace }}
{{- end }}

{{/*
What the controller does in the namespaces it watches (deploy/README.md explains each rule). Reads are
get/list/watch; writes are the verbs the code sends, no more: it never writes a Rollout's spec, never
deletes what users own (Rollouts, Services, route objects), and can read a Secret only by name.
Argument: a dict with clusterWide (bool): the cluster-wide ClusterRole also reads ClusterAnalysisTemplates.
*/}}
{{- define "sluice.controllerRules" -}}
# Rollouts: watched, their status written, and their metadata patched only to add and remove the
# finalizer sluice.dev/release (deleting a Rollout gives back Service selectors and route weights first)
- apiGroups: [sluice.dev]
  resources: [rollouts]
  verbs: [get, list, watch, patch, update]
- apiGroups: [sluice.dev]
  resources: [rollouts/status]
  verbs: [update, patch]
# owner references with blockOwnerDeletion (OwnerReferencesPermissionEnforcement, e.g. OpenShift)
- apiGroups: [sluice.dev]
  resources: [rollouts/finalizers, analysisruns/finalizers]
  verbs: [update]
# AnalysisRuns: created, terminated and pruned for step and background analysis; measured
- apiGroups: [sluice.dev]
  resources: [analysisruns]
  verbs: [create, get, list, watch, update, patch, delete]
- apiGroups: [sluice.dev]
  resources: [analysisruns/status]
  verbs: [update, patch]
- apiGroups: [sluice.dev]
  resources: [analysistemplates{{ if .clusterWide }}, clusteranalysistemplates{{ end }}]
  verbs: [get, list, watch]
# the ReplicaSets of each revision
- apiGroups: [apps]
  resources: [replicasets]
  verbs: [create, get, list, watch, update, patch, delete]
# workloadRef: the pod template is read from the Deployment; scaleDown sets its replicas through
# the scale subresource, which is all the controller may write of a Deployment
- apiGroups: [apps]
  resources: [deployments]
  verbs: [get, list, watch]
- apiGroups: [apps]
  resources: [deployments/scale]
  verbs: [update]
# restartAt: pods are deleted one at a time
- apiGroups: [""]
  resources: [pods]
  verbs: [get, list, watch, delete]
# canaryService/stableService: the selector is merge-patched to a pod-template-hash
- apiGroups: [""]
  resources: [services]
  verbs: [get, list, watch, patch]
# analysis arguments and provider credentials (secretKeyRef), read by name in the run's namespace
- apiGroups: [""]
  resources: [secrets]
  verbs: [get]
# job metrics
- apiGroups: [batch]
  resources: [jobs]
  verbs: [create, get, list, watch, delete]
- apiGroups: [""]
  resources: [events]
  verbs: [create]
- apiGroups: [events.k8s.io]
  resources: [events]
  verbs: [create]
# traffic routers: route objects are read and rewritten with update (a concurrent change is a
# conflict, not lost); NGINX's canary Ingress and the SMI TrafficSplit are created
- apiGroups: [networking.k8s.io]
  resources: [ingresses]
  verbs: [get, list, watch, create, update]
- apiGroups: [gateway.networking.k8s.io]
  resources: [httproutes]
  verbs: [get, list, watch, update]
- apiGroups: [networking.istio.io]
  resources: [virtualservices, destinationrules]
  verbs: [get, list, watch, update]
- apiGroups: [split.smi-spec.io]
  resources: [trafficsplits]
  verbs: [get, list, watch, create, update]
{{- end }}
