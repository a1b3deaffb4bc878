package nhtest

import (
	"encoding/xml"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The states of a job.
const (
	jobStarted   = "Started"
	jobRunning   = "Running"
	jobCompleted = "Completed"
)

// JobDuration is how long, on the Server's clock, an emulated job takes to
// complete. A job also moves one state further each time it is read (Started,
// Running, Completed), so that a client polling on another clock sees it end.
const JobDuration = time.Minute

// jobTypes are the job types the service runs.
var jobTypes = []string{"ExportRegistrations", "ImportCreateRegistrations", "ImportUpdateRegistrations",
	"ImportDeleteRegistrations", "ImportUpsertRegistrations"}

// Job is an import or export job the emulator accepted. The emulator reads no
// file and writes none: a job only moves from Started through Running to
// Completed, and then names output files that do not exist.
type Job struct {
	ID                 string
	Type               string
	Status             string // Started, Running or Completed
	Progress           float64
	OutputContainerURL string // as submitted; it holds a signature
	ImportFileURL      string // as submitted, for an import
	OutputProperties   map[string]string
	CreatedAt          time.Time
	UpdatedAt          time.Time
}

// Clone returns a deep copy of j.
func (j Job) Clone() Job {
	j.OutputProperties = maps.Clone(j.OutputProperties)
	return j
}

// Jobs returns a copy of every job, in order of submission, as of the last time
// a client read it.
func (s *Server) Jobs() []Job {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Job, len(s.state.jobs))
	for i, j := range s.state.jobs {
		out[i] = j.Clone()
	}
	return out
}

// jobIn is the NotificationHubJob of a submission, read by local names.
type jobIn struct {
	Type               string `xml:"Type"`
	OutputContainerURI string `xml:"OutputContainerUri"`
	ImportFileURI      string `xml:"ImportFileUri"`
}

type jobEntryIn struct {
	XMLName xml.Name
	Content struct {
		Job *jobIn `xml:"NotificationHubJob"`
	} `xml:"content"`
}

// serveJobs serves POST /jobs (201), GET /jobs (the feed) and GET /jobs/{id}
// (200, or 404); Standard tier only (403 otherwise).
func (s *Server) serveJobs(w http.ResponseWriter, r *http.Request, x *exchange) *apiError {
	switch {
	case !s.tier.allowsTelemetry():
		return newError(http.StatusForbidden, errNotAvailable)
	case x.target.op == opJob:
		return s.getJob(w, x)
	case r.Method == http.MethodPost:
		return s.submitJob(w, r, x)
	}
	jobs := s.advanceJobs("")
	return s.writeAtom(w, http.StatusOK, func(a *atomWriter) {
		a.feed("jobs", func() {
			for _, j := range jobs {
				a.jobEntry(s, j, x.apiVersion)
			}
		})
	})
}

// submitJob reads, checks and accepts a job.
func (s *Server) submitJob(w http.ResponseWriter, r *http.Request, x *exchange) *apiError {
	ct := r.Header.Get("Content-Type")
	if !mediaTypeIs(ct, "application/atom+xml") && !mediaTypeIs(ct, "application/xml") {
		return badRequest("A job is submitted as Content-Type: application/atom+xml;type=entry;charset=utf-8, not '" + ct + "'.")
	}
	body, aerr := readBody(r, maxBodySize)
	if aerr != nil {
		return aerr
	}
	in, err := readJob(body)
	if err != nil {
		return badRequest(err.Error())
	}
	now := s.clock.Now()
	s.mu.Lock()
	j := &Job{ID: strconv.Itoa(len(s.state.jobs) + 1), Type: in.Type, Status: jobStarted,
		OutputContainerURL: in.OutputContainerURI, ImportFileURL: in.ImportFileURI, CreatedAt: now, UpdatedAt: now}
	s.state.jobs = append(s.state.jobs, j)
	accepted := j.Clone()
	s.mu.Unlock()
	return s.writeAtom(w, http.StatusCreated, func(a *atomWriter) { a.jobEntry(s, accepted, x.apiVersion) })
}

// readJob reads and checks a submitted job: a known type, an absolute output
// container URL, and an import file URL for an import only.
func readJob(body []byte) (jobIn, error) {
	var e jobEntryIn
	if err := xml.Unmarshal(body, &e); err != nil {
		return jobIn{}, detailf("The request body is not an Atom entry: %v.", err)
	}
	if e.XMLName.Local != "entry" || e.Content.Job == nil {
		return jobIn{}, detailError("The request body is not an Atom entry with a NotificationHubJob in its <content>.")
	}
	j := *e.Content.Job
	j.Type, j.OutputContainerURI, j.ImportFileURI = strings.TrimSpace(j.Type), strings.TrimSpace(j.OutputContainerURI), strings.TrimSpace(j.ImportFileURI)
	isImport := strings.HasPrefix(j.Type, "Import")
	switch {
	case !slices.Contains(jobTypes, j.Type):
		return jobIn{}, detailf("The job type '%s' is not supported; want one of %s.", j.Type, strings.Join(jobTypes, ", "))
	case !absoluteURL(j.OutputContainerURI):
		return jobIn{}, detailError("The job needs an OutputContainerUri: the URL of a blob container, with a signature that grants write.")
	case isImport && !absoluteURL(j.ImportFileURI):
		return jobIn{}, detailf("A %s job needs an ImportFileUri: the URL of the file to import.", j.Type)
	case !isImport && j.ImportFileURI != "":
		return jobIn{}, detailf("A %s job takes no ImportFileUri.", j.Type)
	}
	return j, nil
}

func absoluteURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Scheme != "" && u.Host != ""
}

// getJob answers GET /jobs/{id}.
func (s *Server) getJob(w http.ResponseWriter, x *exchange) *apiError {
	jobs := s.advanceJobs(x.target.id)
	if len(jobs) == 0 {
		return newError(http.StatusNotFound, "The job '"+x.target.id+"' was not found.")
	}
	return s.writeAtom(w, http.StatusOK, func(a *atomWriter) { a.jobEntry(s, jobs[0], x.apiVersion) })
}

// advanceJobs moves the job id ("" for every job) on, as a read does, and
// returns copies of them.
func (s *Server) advanceJobs(id string) []Job {
	now := s.clock.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Job
	for _, j := range s.state.jobs {
		if id == "" || j.ID == id {
			j.advance(now)
			out = append(out, j.Clone())
		}
	}
	return out
}

// advance moves a job one state on, or to Completed when JobDuration passed.
func (j *Job) advance(now time.Time) {
	switch {
	case j.Status == jobCompleted:
		return
	case j.Status == jobRunning || now.Sub(j.CreatedAt) >= JobDuration:
		j.Status, j.Progress = jobCompleted, 100
		j.OutputProperties = map[string]string{"OutputFilePath": j.ID + "/Output.txt", "FailedFilePath": j.ID + "/Failed.txt"}
	default:
		j.Status, j.Progress = jobRunning, 50
	}
	j.UpdatedAt = now
}

// jobEntry writes the entry of a job, its fields in the order of the data
// contract.
func (a *atomWriter) jobEntry(s *Server, j Job, apiVersion string) {
	id := "https://" + s.host + "/" + s.hub + "/jobs/" + j.ID + "?api-version=" + apiVersion
	a.entry(id, j.ID, "NotificationHubJob", func() {
		a.text("JobId", j.ID)
		a.text("Progress", strconv.FormatFloat(j.Progress, 'f', -1, 64))
		a.text("Type", j.Type)
		a.text("Status", j.Status)
		a.cdata("OutputContainerUri", j.OutputContainerURL)
		a.cdata("ImportFileUri", j.ImportFileURL)
		a.properties("OutputProperties", j.OutputProperties)
		a.text("CreatedAt", j.CreatedAt.UTC().Format(time.RFC3339Nano))
		a.text("UpdatedAt", j.UpdatedAt.UTC().Format(time.RFC3339Nano))
	})
}

// cdata writes <name><![CDATA[value]]></name>, or nothing when value is empty.
func (a *atomWriter) cdata(name, value string) {
	if value != "" {
		a.element(struct {
			Text string `xml:",cdata"`
		}{value}, name)
	}
}

// nsArrays is the namespace of the service's string dictionaries.
const nsArrays = "http://schemas.microsoft.com/2003/10/Serialization/Arrays"

// properties writes a string dictionary as the service does, with the d3p1
// prefix bound to nsArrays, in key order; nothing when m is empty.
func (a *atomWriter) properties(name string, m map[string]string) {
	if len(m) == 0 {
		return
	}
	el := xml.Name{Local: name}
	a.start(el, xml.Attr{Name: xml.Name{Local: "xmlns:d3p1"}, Value: nsArrays})
	pair := xml.Name{Local: "d3p1:KeyValueOfstringstring"}
	for _, k := range slices.Sorted(maps.Keys(m)) {
		a.start(pair)
		a.element(k, "d3p1:Key")
		a.element(m[k], "d3p1:Value")
		a.end(pair)
	}
	a.end(el)
}
