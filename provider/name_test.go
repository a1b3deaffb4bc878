package provider

import "testing"

func TestValidName(t *testing.T) {
	cases := []struct {
		name string
		ok   bool
	}{
		{"memory", true},
		{"azurenh", true},
		{"a", true},
		{"nh2", true},
		{"nh_2", false},
		{"", false},
		{"Memory", false},
		{"2nh", false},
		{"_nh", false},
		{"azure-nh", false},
		{"azure nh", false},
		{"mémoire", false},
	}
	for _, c := range cases {
		if got := validName(c.name); got != c.ok {
			t.Errorf("validName(%q) = %v, want %v", c.name, got, c.ok)
		}
	}
}

func FuzzValidName(f *testing.F) {
	for _, s := range []string{"memory", "", "A", "a-b", "a1", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		ok := validName(name)
		want := name != "" && name[0] >= 'a' && name[0] <= 'z'
		for _, c := range []byte(name) {
			want = want && (c >= 'a' && c <= 'z' || c >= '0' && c <= '9')
		}
		if ok != want {
			t.Fatalf("validName(%q) = %v", name, ok)
		}
	})
}
