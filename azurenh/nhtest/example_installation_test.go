package nhtest_test

import (
	"fmt"

	"github.com/pushwire/push"
	"github.com/pushwire/push/azurenh/nhtest"
)

// ExampleServer_PutInstallation seeds an installation directly; sends to its tags,
// or to its implicit $InstallationId and $UserId tags, then reach it.
func ExampleServer_PutInstallation() {
	s := nhtest.NewServer()
	defer s.Close()
	err := s.PutInstallation(nhtest.Installation{
		InstallationID: "phone-1",
		UserID:         "alice",
		Platform:       push.Apple,
		PushChannel:    nhtest.PushChannel{Handle: "apns-device-token"},
		Tags:           []string{"news"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	in, _ := s.Installation("phone-1")
	fmt.Println(in.MatchTags())
	// Output: [news $InstallationId:{phone-1} $UserId:{alice}]
}
