package engine

import "fmt"

// backendFrom turns the provider's ProviderData into a Backend.
func backendFrom(pd any) (Backend, error) {
	switch v := pd.(type) {
	case Backend:
		return v, nil
	}
	return nil, fmt.Errorf("expected a KAZOO client, got %T; this is a bug in the provider, please report it", pd)
}
