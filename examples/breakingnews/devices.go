package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/pushwire/push/azurenh"
)

// categories returns the news categories of the tutorials; a device subscribes
// to one by carrying it as a tag.
func categories() []string {
	return []string{"World", "Politics", "Business", "Technology", "Science", "Sports"}
}

// device is a phone or PC of the tutorials. The handles are made up.
type device struct {
	id       string
	platform azurenh.InstallationPlatform
	handle   string
	tags     []string // the categories it follows
	language string   // for part 2: English, French or Mandarin; "" for part 1
}

// subscribers are the devices of part 1: native notifications, by category.
func subscribers() []device {
	return []device{
		{id: "ana-iphone", platform: azurenh.InstallationAPNS, handle: "4f1d0c9ab2e35a7d8c6b0e91f2a4d3c5b7e8f9a0c1d2e3f4a5b6c7d8e9f0a1b2", tags: []string{"World", "Politics"}},
		{id: "ben-pixel", platform: azurenh.InstallationFCMV1, handle: "fcm-token-ben-pixel", tags: []string{"Business", "Technology"}},
		{id: "chloe-surface", platform: azurenh.InstallationWNS, handle: "https://db5p.notify.windows.com/?token=chloe-surface", tags: []string{"Science", "Sports", "Politics"}},
		{id: "dev-pixel", platform: azurenh.InstallationFCMV1, handle: "fcm-token-dev-pixel", tags: []string{"Sports"}},
	}
}

// readers are the devices of part 2: each has a template in its language.
func readers() []device {
	return []device{
		{id: "emma-iphone", platform: azurenh.InstallationAPNS, handle: "9a8b7c6d5e4f30211203a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9", tags: []string{"World", "Politics"}, language: "French"},
		{id: "li-pixel", platform: azurenh.InstallationFCMV1, handle: "fcm-token-li-pixel", tags: []string{"World"}, language: "Mandarin"},
		{id: "sam-surface", platform: azurenh.InstallationWNS, handle: "https://db5p.notify.windows.com/?token=sam-surface", tags: []string{"World", "Sports"}, language: "English"},
	}
}

// templateName is the name each reader gives its template.
const templateName = "localizedNews"

// property returns the template property that holds the news in d's
// language: News_English, News_French or News_Mandarin.
func (d device) property() string { return "News_" + d.language }

// template returns the body and headers of d's template: a native payload of
// d's platform whose text is the property of its language.
func (d device) template() (body string, headers map[string]string) {
	p := "$(" + d.property() + ")"
	switch d.platform {
	case azurenh.InstallationAPNS:
		return `{"aps":{"alert":"` + p + `"}}`, nil
	case azurenh.InstallationFCMV1:
		return `{"message":{"notification":{"title":"Breaking News","body":"` + p + `"}}}`, nil
	}
	return `<toast><visual><binding template="ToastText01"><text id="1">` + p + `</text></binding></visual></toast>`,
		map[string]string{"X-WNS-Type": "wns/toast"}
}

// installation returns d as the installation the app registers.
func (d device) installation() azurenh.Installation {
	in := azurenh.Installation{
		ID: d.id, Platform: d.platform, Tags: d.tags,
		PushChannel: azurenh.HandleChannel(d.handle),
	}
	if d.language != "" {
		body, headers := d.template()
		in.Templates = map[string]azurenh.InstallationTemplate{templateName: {Body: body, Headers: headers}}
	}
	return in
}

// register registers the devices' installations and lists them. On a real hub
// each app registers its own installation with a Listen-only access policy;
// device is a Client holding one, as the apps would.
func register(ctx context.Context, device *azurenh.Client, devices []device, out io.Writer) error {
	for _, d := range devices {
		if err := device.PutInstallation(ctx, d.installation()); err != nil {
			return fmt.Errorf("registering %s: %w", d.id, err)
		}
		line := fmt.Sprintf("  %-14s %-6s %-26s", d.id, d.platform, strings.Join(d.tags, ", "))
		if d.language != "" {
			body, _ := d.template()
			line += fmt.Sprintf(" %-9s %s", d.language, body)
		}
		fmt.Fprintln(out, strings.TrimRight(line, " "))
	}
	return nil
}
