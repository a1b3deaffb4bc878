module github.com/pushwire/push

go 1.26.0

require (
	github.com/google/uuid v1.6.0
	github.com/jarcoal/httpmock v1.4.2
	github.com/lmittmann/tint v1.2.1
	github.com/stretchr/testify v1.12.1
	go.uber.org/goleak v1.3.0
	golang.org/x/oauth2 v0.38.0
)

require (
	cloud.google.com/go/compute/metadata v0.3.0 // indirect
	go.yaml.in/yaml/v3 v3.0.5 // indirect
)
