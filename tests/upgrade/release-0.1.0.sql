BEGIN TRANSACTION;
CREATE TABLE activity_states (
	id INTEGER NOT NULL, 
	live_id INTEGER NOT NULL, 
	activity_id VARCHAR(64) NOT NULL, 
	status VARCHAR(16) NOT NULL, 
	results_visible BOOLEAN NOT NULL, 
	opened_at DATETIME, 
	closed_at DATETIME, 
	hidden_words JSON NOT NULL, 
	approved_words JSON NOT NULL, 
	resets INTEGER NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (live_id, activity_id), 
	FOREIGN KEY(live_id) REFERENCES live_sessions (id) ON DELETE CASCADE
);
INSERT INTO "activity_states" VALUES(1,1,'org','closed',1,'2026-12-07 11:53:03.799527','2026-12-07 11:53:04.011335','[]','[]',0);
INSERT INTO "activity_states" VALUES(2,1,'wolk','closed',1,'2026-12-07 11:53:03.826792','2026-12-07 11:53:04.011335','[]','[]',0);
INSERT INTO "activity_states" VALUES(3,1,'rang','closed',1,'2026-12-07 11:53:03.836899','2026-12-07 11:53:04.011335','[]','[]',0);
INSERT INTO "activity_states" VALUES(4,1,'blokken','closed',1,'2026-12-07 11:53:03.849032','2026-12-07 11:53:04.011335','[]','[]',0);
INSERT INTO "activity_states" VALUES(5,1,'voor','closed',1,'2026-12-07 11:53:03.859531','2026-12-07 11:53:04.011335','[]','[]',0);
INSERT INTO "activity_states" VALUES(6,1,'na','closed',1,'2026-12-07 11:53:03.871529','2026-12-07 11:53:04.011335','[]','[]',0);
INSERT INTO "activity_states" VALUES(7,1,'mening','closed',1,'2026-12-07 11:53:03.880848','2026-12-07 11:53:04.011335','[]','[]',0);
INSERT INTO "activity_states" VALUES(8,1,'e1','closed',1,'2026-12-07 11:53:03.890240','2026-12-07 11:53:04.011335','[]','[]',0);
INSERT INTO "activity_states" VALUES(9,1,'e2','closed',1,'2026-12-07 11:53:03.890240','2026-12-07 11:53:04.011335','[]','[]',0);
INSERT INTO "activity_states" VALUES(10,1,'e3','closed',1,'2026-12-07 11:53:03.890240','2026-12-07 11:53:04.011335','[]','[]',0);
INSERT INTO "activity_states" VALUES(11,1,'vrij','closed',1,'2026-12-07 11:53:03.933635','2026-12-07 11:53:04.011335','[]','[]',0);
CREATE TABLE live_sessions (
	id INTEGER NOT NULL, 
	code VARCHAR(12) NOT NULL, 
	programme_id VARCHAR(64) NOT NULL, 
	programme_version VARCHAR(64) NOT NULL, 
	programme_file VARCHAR(255) NOT NULL, 
	programme JSON NOT NULL, 
	created_at DATETIME NOT NULL, 
	ended_at DATETIME, 
	current_activity VARCHAR(64), 
	version INTEGER NOT NULL, 
	control_key VARCHAR(64) NOT NULL, 
	projector_key VARCHAR(64) NOT NULL, 
	join_locked BOOLEAN NOT NULL, 
	timer_activity VARCHAR(64), 
	timer_ends_at FLOAT, 
	timer_seconds INTEGER, 
	timer_auto_close BOOLEAN NOT NULL, 
	tables INTEGER NOT NULL, 
	breakdown_by VARCHAR(64), 
	breakdown_compare JSON, 
	PRIMARY KEY (id), 
	UNIQUE (code)
);
INSERT INTO "live_sessions" VALUES(1,'RXPDN2','workshop','1','workshop.yaml','{"id": "workshop", "version": "1", "languages": ["nl", "en"], "default_language": "nl", "title": {"nl": "Werkvormen", "en": "Workshop kinds"}, "sections": [{"id": "intro", "title": {"nl": "Intro", "en": "Intro"}, "activity_ids": ["start", "org"], "paced": false}, {"id": "kern", "title": {"nl": "Kern", "en": "Core"}, "activity_ids": ["wolk", "rang", "blokken", "voor", "na", "mening", "vragen", "vrij"], "paced": false}, {"id": "enquete", "title": {"nl": "Enqu\u00eate", "en": "Survey"}, "activity_ids": ["e1", "e2", "e3"], "paced": true}], "activities": [{"id": "start", "kind": "info", "section_id": "intro", "title": {"nl": "Welkom", "en": "Welcome"}, "prompt": null, "body": {"nl": "Dit is een **test**.", "en": "This is a **test**."}, "quotes": [], "links": [], "options": [], "max_choices": null, "scale": null, "why": null, "max_length": null, "reference": null, "origin": null, "optional": false, "placeholder": false, "confirm_with": null, "notes": null, "show_results": null, "max_words": null, "items": [], "ratings": [], "compare_with": null, "moderated": false, "presenter_notes": null, "timer": null, "profile": false, "segment_label": null}, {"id": "org", "kind": "single_choice", "section_id": "intro", "title": null, "prompt": {"nl": "Waar werk je?", "en": "Where do you work?"}, "body": null, "quotes": [], "links": [], "options": [{"id": "school", "label": {"nl": "School", "en": "School"}, "description": null, "placeholder": false, "origin": null, "polarity": null}, {"id": "clb", "label": {"nl": "CLB", "en": "CLB"}, "description": null, "placeholder": false, "origin": null, "polarity": null}, {"id": "welzijn", "label": {"nl": "Welzijn", "en": "Welfare"}, "description": null, "placeholder": false, "origin": null, "polarity": null}], "max_choices": null, "scale": null, "why": null, "max_length": null, "reference": {"source": "studie", "source_name": {"nl": "Teststudie", "en": "Test study"}, "values": {"school": 50.0, "clb": 30.0, "welzijn": null}, "sums_to_100": false, "unit": "percent_reported", "title": null, "n": 40, "year": 2024, "notes": null}, "origin": null, "optional": false, "placeholder": false, "confirm_with": null, "notes": null, "show_results": null, "max_words": null, "items": [], "ratings": [], "compare_with": null, "moderated": false, "presenter_notes": null, "timer": null, "profile": false, "segment_label": null}, {"id": "wolk", "kind": "word_cloud", "section_id": "kern", "title": null, "prompt": {"nl": "E\u00e9n tot drie woorden?", "en": "One to three words?"}, "body": null, "quotes": [], "links": [], "options": [], "max_choices": null, "scale": null, "why": null, "max_length": 30, "reference": null, "origin": null, "optional": false, "placeholder": false, "confirm_with": null, "notes": null, "show_results": null, "max_words": 3, "items": [], "ratings": [], "compare_with": null, "moderated": false, "presenter_notes": {"nl": "Lees de grootste woorden voor.", "en": "Read out the biggest words."}, "timer": {"seconds": 30, "auto_close": true}, "profile": false, "segment_label": null}, {"id": "rang", "kind": "ranking", "section_id": "kern", "title": null, "prompt": {"nl": "Rangschik van best naar slechtst.", "en": "Rank from best to worst."}, "body": null, "quotes": [], "links": [], "options": [{"id": "a", "label": {"nl": "Optie A", "en": "Option A"}, "description": null, "placeholder": false, "origin": null, "polarity": null}, {"id": "b", "label": {"nl": "Optie B", "en": "Option B"}, "description": null, "placeholder": false, "origin": null, "polarity": null}, {"id": "c", "label": {"nl": "Optie C", "en": "Option C"}, "description": null, "placeholder": false, "origin": null, "polarity": null}, {"id": "d", "label": {"nl": "Optie D", "en": "Option D"}, "description": null, "placeholder": false, "origin": null, "polarity": null}], "max_choices": null, "scale": null, "why": null, "max_length": null, "reference": null, "origin": null, "optional": false, "placeholder": false, "confirm_with": null, "notes": null, "show_results": null, "max_words": null, "items": [], "ratings": [], "compare_with": null, "moderated": false, "presenter_notes": {"nl": "Bespreek de nummer \u00e9\u00e9n.", "en": "Discuss the number one."}, "timer": null, "profile": false, "segment_label": null}, {"id": "blokken", "kind": "matrix", "section_id": "kern", "title": null, "prompt": {"nl": "Hoe makkelijk is elk blok?", "en": "How easy is each block?"}, "body": null, "quotes": [], "links": [], "options": [], "max_choices": null, "scale": null, "why": null, "max_length": null, "reference": null, "origin": null, "optional": false, "placeholder": false, "confirm_with": null, "notes": null, "show_results": null, "max_words": null, "items": [{"id": "x", "label": {"nl": "Blok X", "en": "Block X"}, "description": null, "placeholder": false, "origin": null, "polarity": null}, {"id": "y", "label": {"nl": "Blok Y", "en": "Block Y"}, "description": null, "placeholder": false, "origin": null, "polarity": null}, {"id": "z", "label": {"nl": "Blok Z", "en": "Block Z"}, "description": null, "placeholder": false, "origin": null, "polarity": null}], "ratings": [{"id": "ok", "label": {"nl": "Makkelijk", "en": "Easy"}, "description": null, "placeholder": false, "origin": null, "polarity": "positive"}, {"id": "moeilijk", "label": {"nl": "Moeilijk", "en": "Hard"}, "description": null, "placeholder": false, "origin": null, "polarity": "negative"}, {"id": "weetniet", "label": {"nl": "Weet niet", "en": "Don''t know"}, "description": null, "placeholder": false, "origin": null, "polarity": "neutral"}], "compare_with": null, "moderated": false, "presenter_notes": {"nl": "Begin bij het moeilijkste blok.", "en": "Start with the hardest block."}, "timer": null, "profile": false, "segment_label": null}, {"id": "voor", "kind": "scale", "section_id": "kern", "title": null, "prompt": {"nl": "Hoe zeker ben je nu?", "en": "How sure are you now?"}, "body": null, "quotes": [], "links": [], "options": [], "max_choices": null, "scale": {"min": 1, "max": 5, "step": 1, "slider": false, "left_label": {"nl": "Niet zeker", "en": "Not sure"}, "right_label": {"nl": "Heel zeker", "en": "Very sure"}, "mid_label": null, "placeholder": false}, "why": {"prompt": {"nl": "Waarom?", "en": "Why?"}, "max_length": 280}, "max_length": null, "reference": null, "origin": null, "optional": false, "placeholder": false, "confirm_with": null, "notes": null, "show_results": null, "max_words": null, "items": [], "ratings": [], "compare_with": null, "moderated": true, "presenter_notes": {"nl": "Meting vooraf.", "en": "Measurement before."}, "timer": null, "profile": false, "segment_label": null}, {"id": "na", "kind": "scale", "section_id": "kern", "title": null, "prompt": {"nl": "Hoe zeker ben je nu, achteraf?", "en": "How sure are you now, afterwards?"}, "body": null, "quotes": [], "links": [], "options": [], "max_choices": null, "scale": {"min": 1, "max": 5, "step": 1, "slider": false, "left_label": {"nl": "Niet zeker", "en": "Not sure"}, "right_label": {"nl": "Heel zeker", "en": "Very sure"}, "mid_label": null, "placeholder": false}, "why": null, "max_length": null, "reference": null, "origin": null, "optional": false, "placeholder": false, "confirm_with": null, "notes": null, "show_results": null, "max_words": null, "items": [], "ratings": [], "compare_with": "voor", "moderated": false, "presenter_notes": {"nl": "Vergelijk met de meting vooraf.", "en": "Compare with the measurement before."}, "timer": null, "profile": false, "segment_label": null}, {"id": "mening", "kind": "open_text", "section_id": "kern", "title": null, "prompt": {"nl": "Wat vind je ervan?", "en": "What do you think?"}, "body": null, "quotes": [], "links": [], "options": [], "max_choices": null, "scale": null, "why": null, "max_length": 280, "reference": null, "origin": null, "optional": false, "placeholder": false, "confirm_with": null, "notes": null, "show_results": null, "max_words": null, "items": [], "ratings": [], "compare_with": null, "moderated": true, "presenter_notes": {"nl": "Keur eerst goed.", "en": "Approve first."}, "timer": null, "profile": false, "segment_label": null}, {"id": "vragen", "kind": "qna", "section_id": "kern", "title": null, "prompt": {"nl": "Vragen?", "en": "Questions?"}, "body": null, "quotes": [], "links": [], "options": [], "max_choices": null, "scale": null, "why": null, "max_length": 280, "reference": null, "origin": null, "optional": false, "placeholder": false, "confirm_with": null, "notes": null, "show_results": null, "max_words": null, "items": [], "ratings": [], "compare_with": null, "moderated": true, "presenter_notes": {"nl": "Keur vragen goed.", "en": "Approve questions."}, "timer": null, "profile": false, "segment_label": null}, {"id": "vrij", "kind": "qna", "section_id": "kern", "title": null, "prompt": {"nl": "Vrije vragen?", "en": "Open questions?"}, "body": null, "quotes": [], "links": [], "options": [], "max_choices": null, "scale": null, "why": null, "max_length": 280, "reference": null, "origin": null, "optional": false, "placeholder": false, "confirm_with": null, "notes": null, "show_results": null, "max_words": null, "items": [], "ratings": [], "compare_with": null, "moderated": false, "presenter_notes": {"nl": "Vragen verschijnen meteen.", "en": "Questions appear at once."}, "timer": null, "profile": false, "segment_label": null}, {"id": "e1", "kind": "single_choice", "section_id": "enquete", "title": null, "prompt": {"nl": "Was het nuttig?", "en": "Was it useful?"}, "body": null, "quotes": [], "links": [], "options": [{"id": "ja", "label": {"nl": "Ja", "en": "Yes"}, "description": null, "placeholder": false, "origin": null, "polarity": null}, {"id": "nee", "label": {"nl": "Nee", "en": "No"}, "description": null, "placeholder": false, "origin": null, "polarity": null}], "max_choices": null, "scale": null, "why": null, "max_length": null, "reference": null, "origin": null, "optional": false, "placeholder": false, "confirm_with": null, "notes": null, "show_results": null, "max_words": null, "items": [], "ratings": [], "compare_with": null, "moderated": false, "presenter_notes": null, "timer": null, "profile": false, "segment_label": null}, {"id": "e2", "kind": "scale", "section_id": "enquete", "title": null, "prompt": {"nl": "Welk cijfer geef je?", "en": "Which score do you give?"}, "body": null, "quotes": [], "links": [], "options": [], "max_choices": null, "scale": {"min": 0, "max": 10, "step": 1, "slider": false, "left_label": {"nl": "Slecht", "en": "Poor"}, "right_label": {"nl": "Uitstekend", "en": "Excellent"}, "mid_label": null, "placeholder": false}, "why": null, "max_length": null, "reference": null, "origin": null, "optional": false, "placeholder": false, "confirm_with": null, "notes": null, "show_results": null, "max_words": null, "items": [], "ratings": [], "compare_with": null, "moderated": false, "presenter_notes": null, "timer": null, "profile": false, "segment_label": null}, {"id": "e3", "kind": "open_text", "section_id": "enquete", "title": null, "prompt": {"nl": "Nog iets?", "en": "Anything else?"}, "body": null, "quotes": [], "links": [], "options": [], "max_choices": null, "scale": null, "why": null, "max_length": 280, "reference": null, "origin": null, "optional": false, "placeholder": false, "confirm_with": null, "notes": null, "show_results": null, "max_words": null, "items": [], "ratings": [], "compare_with": null, "moderated": false, "presenter_notes": null, "timer": null, "profile": false, "segment_label": null}], "status": "final", "subtitle": null, "credits": [], "show_results": "after_close", "privacy_threshold": 3, "free_text_warning": null, "moderation": false, "tables": 0, "profile_at_join": false, "privacy_notice": null, "branding": null}','2026-12-07 11:53:03.783396','2026-12-07 11:53:04.010623','vrij',12,'oJRozWRT0MEnsfJqkEju9yfR','V6iFxliya2nxC-ciGul8pxoP',0,NULL,NULL,NULL,1,3,NULL,NULL);
CREATE TABLE log_entries (
	id INTEGER NOT NULL, 
	live_id INTEGER NOT NULL, 
	at DATETIME NOT NULL, 
	action VARCHAR(32) NOT NULL, 
	activity_id VARCHAR(64), 
	detail JSON NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(live_id) REFERENCES live_sessions (id) ON DELETE CASCADE
);
INSERT INTO "log_entries" VALUES(1,1,'2026-12-07 11:53:03.998017','moderate','mening','{"entry": "d8fcd99b5ede", "action": "approve"}');
INSERT INTO "log_entries" VALUES(2,1,'2026-12-07 11:53:04.003631','moderate','mening','{"entry": "552d7b8be5e0", "action": "hide"}');
INSERT INTO "log_entries" VALUES(3,1,'2026-12-07 11:53:04.004704','moderate','mening','{"entry": "d57fae1156fb", "action": "approve"}');
INSERT INTO "log_entries" VALUES(4,1,'2026-12-07 11:53:04.005681','moderate','mening','{"entry": "96f4a5949545", "action": "hide"}');
INSERT INTO "log_entries" VALUES(5,1,'2026-12-07 11:53:04.012280','end',NULL,'{}');
CREATE TABLE participants (
	id INTEGER NOT NULL, 
	live_id INTEGER NOT NULL, 
	token_hash VARCHAR(64) NOT NULL, 
	created_at DATETIME NOT NULL, 
	"table" INTEGER, 
	PRIMARY KEY (id), 
	FOREIGN KEY(live_id) REFERENCES live_sessions (id) ON DELETE CASCADE, 
	UNIQUE (token_hash)
);
INSERT INTO "participants" VALUES(1,1,'10c1dbc8c590e3b95de246c5e440e647262e5bc1b5dcec304d1c943b209cbadf','2026-12-07 11:53:03.784706',1);
INSERT INTO "participants" VALUES(2,1,'94ce2dd9a3eff0728b296f91296645967670ed7081c15a6f05271777a8c9e302','2026-12-07 11:53:03.785177',2);
INSERT INTO "participants" VALUES(3,1,'d00a5bc2bcdef674a735f9e0b7d9b37074b616ac4b6991354351a93fd6706d03','2026-12-07 11:53:03.785291',3);
INSERT INTO "participants" VALUES(4,1,'a9dde86af08252a9cdeff8a65fb2a10fc6c321f4d6f0f58a23adb672cd82e361','2026-12-07 11:53:03.785394',1);
INSERT INTO "participants" VALUES(5,1,'423627d0983325677dda3a330b9a0b169e593a83fa01b266321b2a6d6c4a5b76','2026-12-07 11:53:03.785490',2);
INSERT INTO "participants" VALUES(6,1,'8cd7493a433b534f19ab71fb7c003e2ccb0cc44942e492c31ddeb4ebdf7710c5','2026-12-07 11:53:03.785592',3);
INSERT INTO "participants" VALUES(7,1,'d8491788e63e8bfbcf415478b051ecd886d961f6b6da426f88870bd6cf5f289b','2026-12-07 11:53:03.785697',1);
INSERT INTO "participants" VALUES(8,1,'ac46b144e3a57d5c9a6a2ca5f21c083b42f2da1c19744f11e1257b2b8923f4f8','2026-12-07 11:53:03.785795',2);
INSERT INTO "participants" VALUES(9,1,'9ea3a25de72b3f7551024efd450211be3dfa47e045e13bf078c0d3ef65a71ba4','2026-12-07 11:53:03.785878',3);
INSERT INTO "participants" VALUES(10,1,'d35232e440605e1c6e0663119b6e73c3ea0aff7993a2b6a4baea7ed4ec37232b','2026-12-07 11:53:03.785952',1);
INSERT INTO "participants" VALUES(11,1,'9d2898b0373caaab2472e769e61e1c195643ffcc8b9cf28c503cf09e3e70fccc','2026-12-07 11:53:03.786023',2);
INSERT INTO "participants" VALUES(12,1,'42e1384b085e2ccf63e33887659a2ed1d6083a4cde73f5dfa5c1d269af9cd9d8','2026-12-07 11:53:03.786093',3);
INSERT INTO "participants" VALUES(13,1,'953c0f8c966e4dc520e17838bc7619b15a6fb9ec9ab11aef00c83f9bfa70f400','2026-12-07 11:53:03.786162',1);
INSERT INTO "participants" VALUES(14,1,'e6f162bb4ec4deaec6da4cb9560abd21801dcc6d64d6a578d1946b96638c1751','2026-12-07 11:53:03.786230',2);
INSERT INTO "participants" VALUES(15,1,'aefa84c457d3f7f23bd4664473fa746044bf4d0f7c062597f783700d9eeb079c','2026-12-07 11:53:03.790612',3);
INSERT INTO "participants" VALUES(16,1,'564ed597b11dd39747f64246522023e5146ee10481e71328308c27ed25acda9a','2026-12-07 11:53:03.790767',1);
INSERT INTO "participants" VALUES(17,1,'5e2a93287c5441c0ff52e53602ed72b61496007a0fca59f8ae02064b675d4360','2026-12-07 11:53:03.790860',2);
INSERT INTO "participants" VALUES(18,1,'8e0d37334509ff428345612e2c8f9dc30f1b01f250e41128a96d331ab95039c6','2026-12-07 11:53:03.790940',3);
INSERT INTO "participants" VALUES(19,1,'ab20350667cc04e699fefeb46693e9b6d9a83fe34e2267a7ac32005bb606d674','2026-12-07 11:53:03.791016',1);
INSERT INTO "participants" VALUES(20,1,'0075c249dcad34396f035e14a8f862374b24a49a49557f0fc086b808091c8864','2026-12-07 11:53:03.791088',2);
INSERT INTO "participants" VALUES(21,1,'4beab8263b4f3416b12467c2afadd9620d12bb0f25c4f1fc02a261207cacd896','2026-12-07 11:53:03.791157',3);
INSERT INTO "participants" VALUES(22,1,'ca2d266e528a6923d9f5390cd44e51d650a0f74a45b3fb0db0f567f78ae2f28e','2026-12-07 11:53:03.791225',1);
INSERT INTO "participants" VALUES(23,1,'dad27645667432c44b768197ce5889482ef6e0023bec6288cbf35a8f943826d1','2026-12-07 11:53:03.791295',2);
CREATE TABLE question_votes (
	id INTEGER NOT NULL, 
	question_id INTEGER NOT NULL, 
	participant_id INTEGER NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (question_id, participant_id), 
	FOREIGN KEY(question_id) REFERENCES questions (id) ON DELETE CASCADE, 
	FOREIGN KEY(participant_id) REFERENCES participants (id) ON DELETE CASCADE
);
INSERT INTO "question_votes" VALUES(1,1,2);
INSERT INTO "question_votes" VALUES(2,1,3);
INSERT INTO "question_votes" VALUES(3,1,4);
INSERT INTO "question_votes" VALUES(4,2,3);
INSERT INTO "question_votes" VALUES(5,2,4);
INSERT INTO "question_votes" VALUES(6,2,5);
INSERT INTO "question_votes" VALUES(7,3,4);
INSERT INTO "question_votes" VALUES(8,3,5);
INSERT INTO "question_votes" VALUES(9,3,6);
INSERT INTO "question_votes" VALUES(10,4,5);
INSERT INTO "question_votes" VALUES(11,4,6);
INSERT INTO "question_votes" VALUES(12,4,7);
INSERT INTO "question_votes" VALUES(13,5,6);
INSERT INTO "question_votes" VALUES(14,5,7);
INSERT INTO "question_votes" VALUES(15,5,8);
CREATE TABLE questions (
	id INTEGER NOT NULL, 
	live_id INTEGER NOT NULL, 
	activity_id VARCHAR(64) NOT NULL, 
	participant_id INTEGER NOT NULL, 
	text VARCHAR(2000) NOT NULL, 
	client_id VARCHAR(64) NOT NULL, 
	status VARCHAR(16) NOT NULL, 
	pinned BOOLEAN NOT NULL, 
	answered BOOLEAN NOT NULL, 
	votes INTEGER NOT NULL, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(live_id) REFERENCES live_sessions (id) ON DELETE CASCADE, 
	FOREIGN KEY(participant_id) REFERENCES participants (id) ON DELETE CASCADE
);
INSERT INTO "questions" VALUES(1,1,'vrij',1,'Vraag 0?','vrij-000000','approved',0,0,3,'2026-12-07 11:53:03.944881');
INSERT INTO "questions" VALUES(2,1,'vrij',2,'Vraag 1?','vrij-000001','approved',0,0,3,'2026-12-07 11:53:03.960699');
INSERT INTO "questions" VALUES(3,1,'vrij',3,'Vraag 2?','vrij-000002','approved',0,0,3,'2026-12-07 11:53:03.972509');
INSERT INTO "questions" VALUES(4,1,'vrij',4,'Vraag 3?','vrij-000003','approved',0,0,3,'2026-12-07 11:53:03.990812');
INSERT INTO "questions" VALUES(5,1,'vrij',5,'Vraag 4?','vrij-000004','approved',0,0,3,'2026-12-07 11:53:03.993977');
CREATE TABLE responses (
	id INTEGER NOT NULL, 
	live_id INTEGER NOT NULL, 
	activity_id VARCHAR(64) NOT NULL, 
	participant_id INTEGER NOT NULL, 
	value JSON NOT NULL, 
	submitted_at DATETIME NOT NULL, 
	changed_at DATETIME NOT NULL, 
	changes INTEGER NOT NULL, 
	status VARCHAR(16) NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (live_id, activity_id, participant_id), 
	FOREIGN KEY(live_id) REFERENCES live_sessions (id) ON DELETE CASCADE, 
	FOREIGN KEY(participant_id) REFERENCES participants (id) ON DELETE CASCADE
);
INSERT INTO "responses" VALUES(1,1,'org',1,'"school"','2026-12-07 11:53:03.809173','2026-12-07 11:53:03.809173',0,'approved');
INSERT INTO "responses" VALUES(2,1,'org',2,'"clb"','2026-12-07 11:53:03.809668','2026-12-07 11:53:03.809668',0,'approved');
INSERT INTO "responses" VALUES(3,1,'org',3,'"welzijn"','2026-12-07 11:53:03.809845','2026-12-07 11:53:03.809845',0,'approved');
INSERT INTO "responses" VALUES(4,1,'org',4,'"school"','2026-12-07 11:53:03.809998','2026-12-07 11:53:03.809998',0,'approved');
INSERT INTO "responses" VALUES(5,1,'org',5,'"clb"','2026-12-07 11:53:03.810149','2026-12-07 11:53:03.810149',0,'approved');
INSERT INTO "responses" VALUES(6,1,'org',6,'"welzijn"','2026-12-07 11:53:03.814416','2026-12-07 11:53:03.814416',0,'approved');
INSERT INTO "responses" VALUES(7,1,'org',7,'"school"','2026-12-07 11:53:03.814699','2026-12-07 11:53:03.814699',0,'approved');
INSERT INTO "responses" VALUES(8,1,'org',8,'"clb"','2026-12-07 11:53:03.814923','2026-12-07 11:53:03.814923',0,'approved');
INSERT INTO "responses" VALUES(9,1,'org',9,'"welzijn"','2026-12-07 11:53:03.815246','2026-12-07 11:53:03.815246',0,'approved');
INSERT INTO "responses" VALUES(10,1,'org',10,'"school"','2026-12-07 11:53:03.815472','2026-12-07 11:53:03.815472',0,'approved');
INSERT INTO "responses" VALUES(11,1,'org',11,'"clb"','2026-12-07 11:53:03.815680','2026-12-07 11:53:03.815680',0,'approved');
INSERT INTO "responses" VALUES(12,1,'org',12,'"welzijn"','2026-12-07 11:53:03.815887','2026-12-07 11:53:03.815887',0,'approved');
INSERT INTO "responses" VALUES(13,1,'org',13,'"school"','2026-12-07 11:53:03.816099','2026-12-07 11:53:03.816099',0,'approved');
INSERT INTO "responses" VALUES(14,1,'org',14,'"clb"','2026-12-07 11:53:03.816319','2026-12-07 11:53:03.816319',0,'approved');
INSERT INTO "responses" VALUES(15,1,'org',15,'"welzijn"','2026-12-07 11:53:03.816477','2026-12-07 11:53:03.816477',0,'approved');
INSERT INTO "responses" VALUES(16,1,'org',16,'"school"','2026-12-07 11:53:03.816614','2026-12-07 11:53:03.816614',0,'approved');
INSERT INTO "responses" VALUES(17,1,'org',17,'"clb"','2026-12-07 11:53:03.816772','2026-12-07 11:53:03.816772',0,'approved');
INSERT INTO "responses" VALUES(18,1,'org',18,'"welzijn"','2026-12-07 11:53:03.816936','2026-12-07 11:53:03.816936',0,'approved');
INSERT INTO "responses" VALUES(19,1,'org',19,'"school"','2026-12-07 11:53:03.817081','2026-12-07 11:53:03.817081',0,'approved');
INSERT INTO "responses" VALUES(20,1,'org',20,'"clb"','2026-12-07 11:53:03.817227','2026-12-07 11:53:03.817227',0,'approved');
INSERT INTO "responses" VALUES(21,1,'org',21,'"welzijn"','2026-12-07 11:53:03.817437','2026-12-07 11:53:03.817437',0,'approved');
INSERT INTO "responses" VALUES(22,1,'org',22,'"school"','2026-12-07 11:53:03.817637','2026-12-07 11:53:03.817637',0,'approved');
INSERT INTO "responses" VALUES(23,1,'org',23,'"clb"','2026-12-07 11:53:03.817800','2026-12-07 11:53:03.817800',0,'approved');
INSERT INTO "responses" VALUES(24,1,'wolk',1,'["woord0"]','2026-12-07 11:53:03.828362','2026-12-07 11:53:03.828362',0,'approved');
INSERT INTO "responses" VALUES(25,1,'wolk',2,'["woord1", "samen"]','2026-12-07 11:53:03.828675','2026-12-07 11:53:03.828675',0,'approved');
INSERT INTO "responses" VALUES(26,1,'wolk',3,'["woord2"]','2026-12-07 11:53:03.828886','2026-12-07 11:53:03.828886',0,'approved');
INSERT INTO "responses" VALUES(27,1,'wolk',4,'["woord3", "samen"]','2026-12-07 11:53:03.829053','2026-12-07 11:53:03.829053',0,'approved');
INSERT INTO "responses" VALUES(28,1,'wolk',5,'["woord4"]','2026-12-07 11:53:03.829210','2026-12-07 11:53:03.829210',0,'approved');
INSERT INTO "responses" VALUES(29,1,'wolk',6,'["woord0", "samen"]','2026-12-07 11:53:03.829371','2026-12-07 11:53:03.829371',0,'approved');
INSERT INTO "responses" VALUES(30,1,'wolk',7,'["woord1"]','2026-12-07 11:53:03.829529','2026-12-07 11:53:03.829529',0,'approved');
INSERT INTO "responses" VALUES(31,1,'wolk',8,'["woord2", "samen"]','2026-12-07 11:53:03.829681','2026-12-07 11:53:03.829681',0,'approved');
INSERT INTO "responses" VALUES(32,1,'wolk',9,'["woord3"]','2026-12-07 11:53:03.829831','2026-12-07 11:53:03.829831',0,'approved');
INSERT INTO "responses" VALUES(33,1,'wolk',10,'["woord4", "samen"]','2026-12-07 11:53:03.829983','2026-12-07 11:53:03.829983',0,'approved');
INSERT INTO "responses" VALUES(34,1,'wolk',11,'["woord0"]','2026-12-07 11:53:03.830132','2026-12-07 11:53:03.830132',0,'approved');
INSERT INTO "responses" VALUES(35,1,'wolk',12,'["woord1", "samen"]','2026-12-07 11:53:03.834114','2026-12-07 11:53:03.834114',0,'approved');
INSERT INTO "responses" VALUES(36,1,'wolk',13,'["woord2"]','2026-12-07 11:53:03.834474','2026-12-07 11:53:03.834474',0,'approved');
INSERT INTO "responses" VALUES(37,1,'wolk',14,'["woord3", "samen"]','2026-12-07 11:53:03.834680','2026-12-07 11:53:03.834680',0,'approved');
INSERT INTO "responses" VALUES(38,1,'wolk',15,'["woord4"]','2026-12-07 11:53:03.834849','2026-12-07 11:53:03.834849',0,'approved');
INSERT INTO "responses" VALUES(39,1,'wolk',16,'["woord0", "samen"]','2026-12-07 11:53:03.835008','2026-12-07 11:53:03.835008',0,'approved');
INSERT INTO "responses" VALUES(40,1,'wolk',17,'["woord1"]','2026-12-07 11:53:03.835164','2026-12-07 11:53:03.835164',0,'approved');
INSERT INTO "responses" VALUES(41,1,'wolk',18,'["woord2", "samen"]','2026-12-07 11:53:03.835316','2026-12-07 11:53:03.835316',0,'approved');
INSERT INTO "responses" VALUES(42,1,'wolk',19,'["woord3"]','2026-12-07 11:53:03.835464','2026-12-07 11:53:03.835464',0,'approved');
INSERT INTO "responses" VALUES(43,1,'wolk',20,'["woord4", "samen"]','2026-12-07 11:53:03.835617','2026-12-07 11:53:03.835617',0,'approved');
INSERT INTO "responses" VALUES(44,1,'wolk',21,'["woord0"]','2026-12-07 11:53:03.835761','2026-12-07 11:53:03.835761',0,'approved');
INSERT INTO "responses" VALUES(45,1,'wolk',22,'["woord1", "samen"]','2026-12-07 11:53:03.835912','2026-12-07 11:53:03.835912',0,'approved');
INSERT INTO "responses" VALUES(46,1,'wolk',23,'["woord2"]','2026-12-07 11:53:03.836059','2026-12-07 11:53:03.836059',0,'approved');
INSERT INTO "responses" VALUES(47,1,'rang',1,'["a", "b", "c", "d"]','2026-12-07 11:53:03.838111','2026-12-07 11:53:03.838111',0,'approved');
INSERT INTO "responses" VALUES(48,1,'rang',2,'["d", "c", "b", "a"]','2026-12-07 11:53:03.842367','2026-12-07 11:53:03.842367',0,'approved');
INSERT INTO "responses" VALUES(49,1,'rang',3,'["b", "a", "d", "c"]','2026-12-07 11:53:03.842652','2026-12-07 11:53:03.842652',0,'approved');
INSERT INTO "responses" VALUES(50,1,'rang',4,'["a", "b", "c", "d"]','2026-12-07 11:53:03.842915','2026-12-07 11:53:03.842915',0,'approved');
INSERT INTO "responses" VALUES(51,1,'rang',5,'["d", "c", "b", "a"]','2026-12-07 11:53:03.843076','2026-12-07 11:53:03.843076',0,'approved');
INSERT INTO "responses" VALUES(52,1,'rang',6,'["b", "a", "d", "c"]','2026-12-07 11:53:03.843229','2026-12-07 11:53:03.843229',0,'approved');
INSERT INTO "responses" VALUES(53,1,'rang',7,'["a", "b", "c", "d"]','2026-12-07 11:53:03.843371','2026-12-07 11:53:03.843371',0,'approved');
INSERT INTO "responses" VALUES(54,1,'rang',8,'["d", "c", "b", "a"]','2026-12-07 11:53:03.843513','2026-12-07 11:53:03.843513',0,'approved');
INSERT INTO "responses" VALUES(55,1,'rang',9,'["b", "a", "d", "c"]','2026-12-07 11:53:03.843650','2026-12-07 11:53:03.843650',0,'approved');
INSERT INTO "responses" VALUES(56,1,'rang',10,'["a", "b", "c", "d"]','2026-12-07 11:53:03.843789','2026-12-07 11:53:03.843789',0,'approved');
INSERT INTO "responses" VALUES(57,1,'rang',11,'["d", "c", "b", "a"]','2026-12-07 11:53:03.843928','2026-12-07 11:53:03.843928',0,'approved');
INSERT INTO "responses" VALUES(58,1,'rang',12,'["b", "a", "d", "c"]','2026-12-07 11:53:03.844070','2026-12-07 11:53:03.844070',0,'approved');
INSERT INTO "responses" VALUES(59,1,'rang',13,'["a", "b", "c", "d"]','2026-12-07 11:53:03.844209','2026-12-07 11:53:03.844209',0,'approved');
INSERT INTO "responses" VALUES(60,1,'rang',14,'["d", "c", "b", "a"]','2026-12-07 11:53:03.844345','2026-12-07 11:53:03.844345',0,'approved');
INSERT INTO "responses" VALUES(61,1,'rang',15,'["b", "a", "d", "c"]','2026-12-07 11:53:03.844482','2026-12-07 11:53:03.844482',0,'approved');
INSERT INTO "responses" VALUES(62,1,'rang',16,'["a", "b", "c", "d"]','2026-12-07 11:53:03.844622','2026-12-07 11:53:03.844622',0,'approved');
INSERT INTO "responses" VALUES(63,1,'rang',17,'["d", "c", "b", "a"]','2026-12-07 11:53:03.844759','2026-12-07 11:53:03.844759',0,'approved');
INSERT INTO "responses" VALUES(64,1,'rang',18,'["b", "a", "d", "c"]','2026-12-07 11:53:03.844898','2026-12-07 11:53:03.844898',0,'approved');
INSERT INTO "responses" VALUES(65,1,'rang',19,'["a", "b", "c", "d"]','2026-12-07 11:53:03.845033','2026-12-07 11:53:03.845033',0,'approved');
INSERT INTO "responses" VALUES(66,1,'rang',20,'["d", "c", "b", "a"]','2026-12-07 11:53:03.845168','2026-12-07 11:53:03.845168',0,'approved');
INSERT INTO "responses" VALUES(67,1,'rang',21,'["b", "a", "d", "c"]','2026-12-07 11:53:03.845302','2026-12-07 11:53:03.845302',0,'approved');
INSERT INTO "responses" VALUES(68,1,'rang',22,'["a", "b", "c", "d"]','2026-12-07 11:53:03.845438','2026-12-07 11:53:03.845438',0,'approved');
INSERT INTO "responses" VALUES(69,1,'rang',23,'["d", "c", "b", "a"]','2026-12-07 11:53:03.845577','2026-12-07 11:53:03.845577',0,'approved');
INSERT INTO "responses" VALUES(70,1,'blokken',1,'{"x": "ok", "y": "moeilijk", "z": "ok"}','2026-12-07 11:53:03.851298','2026-12-07 11:53:03.851298',0,'approved');
INSERT INTO "responses" VALUES(71,1,'blokken',2,'{"x": "ok", "y": "weetniet", "z": "ok"}','2026-12-07 11:53:03.851519','2026-12-07 11:53:03.851519',0,'approved');
INSERT INTO "responses" VALUES(72,1,'blokken',3,'{"x": "ok", "y": "moeilijk", "z": "ok"}','2026-12-07 11:53:03.851683','2026-12-07 11:53:03.851683',0,'approved');
INSERT INTO "responses" VALUES(73,1,'blokken',4,'{"x": "ok", "y": "weetniet", "z": "ok"}','2026-12-07 11:53:03.851832','2026-12-07 11:53:03.851832',0,'approved');
INSERT INTO "responses" VALUES(74,1,'blokken',5,'{"x": "ok", "y": "moeilijk", "z": "ok"}','2026-12-07 11:53:03.851980','2026-12-07 11:53:03.851980',0,'approved');
INSERT INTO "responses" VALUES(75,1,'blokken',6,'{"x": "ok", "y": "weetniet", "z": "ok"}','2026-12-07 11:53:03.852119','2026-12-07 11:53:03.852119',0,'approved');
INSERT INTO "responses" VALUES(76,1,'blokken',7,'{"x": "ok", "y": "moeilijk", "z": "ok"}','2026-12-07 11:53:03.852258','2026-12-07 11:53:03.852258',0,'approved');
INSERT INTO "responses" VALUES(77,1,'blokken',8,'{"x": "ok", "y": "weetniet", "z": "ok"}','2026-12-07 11:53:03.852397','2026-12-07 11:53:03.852397',0,'approved');
INSERT INTO "responses" VALUES(78,1,'blokken',9,'{"x": "ok", "y": "moeilijk", "z": "ok"}','2026-12-07 11:53:03.852533','2026-12-07 11:53:03.852533',0,'approved');
INSERT INTO "responses" VALUES(79,1,'blokken',10,'{"x": "ok", "y": "weetniet", "z": "ok"}','2026-12-07 11:53:03.852691','2026-12-07 11:53:03.852691',0,'approved');
INSERT INTO "responses" VALUES(80,1,'blokken',11,'{"x": "ok", "y": "moeilijk", "z": "ok"}','2026-12-07 11:53:03.852912','2026-12-07 11:53:03.852912',0,'approved');
INSERT INTO "responses" VALUES(81,1,'blokken',12,'{"x": "ok", "y": "weetniet", "z": "ok"}','2026-12-07 11:53:03.853053','2026-12-07 11:53:03.853053',0,'approved');
INSERT INTO "responses" VALUES(82,1,'blokken',13,'{"x": "ok", "y": "moeilijk", "z": "ok"}','2026-12-07 11:53:03.853189','2026-12-07 11:53:03.853189',0,'approved');
INSERT INTO "responses" VALUES(83,1,'blokken',14,'{"x": "ok", "y": "weetniet", "z": "ok"}','2026-12-07 11:53:03.853325','2026-12-07 11:53:03.853325',0,'approved');
INSERT INTO "responses" VALUES(84,1,'blokken',15,'{"x": "ok", "y": "moeilijk", "z": "ok"}','2026-12-07 11:53:03.853461','2026-12-07 11:53:03.853461',0,'approved');
INSERT INTO "responses" VALUES(85,1,'blokken',16,'{"x": "ok", "y": "weetniet", "z": "ok"}','2026-12-07 11:53:03.853614','2026-12-07 11:53:03.853614',0,'approved');
INSERT INTO "responses" VALUES(86,1,'blokken',17,'{"x": "ok", "y": "moeilijk", "z": "ok"}','2026-12-07 11:53:03.853750','2026-12-07 11:53:03.853750',0,'approved');
INSERT INTO "responses" VALUES(87,1,'blokken',18,'{"x": "ok", "y": "weetniet", "z": "ok"}','2026-12-07 11:53:03.853887','2026-12-07 11:53:03.853887',0,'approved');
INSERT INTO "responses" VALUES(88,1,'blokken',19,'{"x": "ok", "y": "moeilijk", "z": "ok"}','2026-12-07 11:53:03.854023','2026-12-07 11:53:03.854023',0,'approved');
INSERT INTO "responses" VALUES(89,1,'blokken',20,'{"x": "ok", "y": "weetniet", "z": "ok"}','2026-12-07 11:53:03.854160','2026-12-07 11:53:03.854160',0,'approved');
INSERT INTO "responses" VALUES(90,1,'blokken',21,'{"x": "ok", "y": "moeilijk", "z": "ok"}','2026-12-07 11:53:03.858398','2026-12-07 11:53:03.858398',0,'approved');
INSERT INTO "responses" VALUES(91,1,'blokken',22,'{"x": "ok", "y": "weetniet", "z": "ok"}','2026-12-07 11:53:03.858642','2026-12-07 11:53:03.858642',0,'approved');
INSERT INTO "responses" VALUES(92,1,'blokken',23,'{"x": "ok", "y": "moeilijk", "z": "ok"}','2026-12-07 11:53:03.858805','2026-12-07 11:53:03.858805',0,'approved');
INSERT INTO "responses" VALUES(93,1,'voor',1,'{"position": 1, "why": "omdat 0"}','2026-12-07 11:53:03.860685','2026-12-07 11:53:03.860685',0,'pending');
INSERT INTO "responses" VALUES(94,1,'voor',2,'{"position": 2, "why": "omdat 1"}','2026-12-07 11:53:03.860867','2026-12-07 11:53:03.860867',0,'pending');
INSERT INTO "responses" VALUES(95,1,'voor',3,'{"position": 3, "why": "omdat 2"}','2026-12-07 11:53:03.861027','2026-12-07 11:53:03.861027',0,'pending');
INSERT INTO "responses" VALUES(96,1,'voor',4,'{"position": 4, "why": "omdat 3"}','2026-12-07 11:53:03.861183','2026-12-07 11:53:03.861183',0,'pending');
INSERT INTO "responses" VALUES(97,1,'voor',5,'{"position": 5, "why": "omdat 4"}','2026-12-07 11:53:03.861334','2026-12-07 11:53:03.861334',0,'pending');
INSERT INTO "responses" VALUES(98,1,'voor',6,'{"position": 1, "why": "omdat 5"}','2026-12-07 11:53:03.866494','2026-12-07 11:53:03.866494',0,'pending');
INSERT INTO "responses" VALUES(99,1,'voor',7,'{"position": 2, "why": "omdat 6"}','2026-12-07 11:53:03.866711','2026-12-07 11:53:03.866711',0,'pending');
INSERT INTO "responses" VALUES(100,1,'voor',8,'{"position": 3, "why": "omdat 7"}','2026-12-07 11:53:03.866895','2026-12-07 11:53:03.866895',0,'pending');
INSERT INTO "responses" VALUES(101,1,'voor',9,'{"position": 4, "why": "omdat 8"}','2026-12-07 11:53:03.867061','2026-12-07 11:53:03.867061',0,'pending');
INSERT INTO "responses" VALUES(102,1,'voor',10,'{"position": 5, "why": "omdat 9"}','2026-12-07 11:53:03.867219','2026-12-07 11:53:03.867219',0,'pending');
INSERT INTO "responses" VALUES(103,1,'voor',11,'{"position": 1, "why": "omdat 10"}','2026-12-07 11:53:03.867371','2026-12-07 11:53:03.867371',0,'pending');
INSERT INTO "responses" VALUES(104,1,'voor',12,'{"position": 2, "why": "omdat 11"}','2026-12-07 11:53:03.867519','2026-12-07 11:53:03.867519',0,'pending');
INSERT INTO "responses" VALUES(105,1,'voor',13,'{"position": 3, "why": "omdat 12"}','2026-12-07 11:53:03.867668','2026-12-07 11:53:03.867668',0,'pending');
INSERT INTO "responses" VALUES(106,1,'voor',14,'{"position": 4, "why": "omdat 13"}','2026-12-07 11:53:03.867814','2026-12-07 11:53:03.867814',0,'pending');
INSERT INTO "responses" VALUES(107,1,'voor',15,'{"position": 5, "why": "omdat 14"}','2026-12-07 11:53:03.867961','2026-12-07 11:53:03.867961',0,'pending');
INSERT INTO "responses" VALUES(108,1,'voor',16,'{"position": 1, "why": "omdat 15"}','2026-12-07 11:53:03.868104','2026-12-07 11:53:03.868104',0,'pending');
INSERT INTO "responses" VALUES(109,1,'voor',17,'{"position": 2, "why": "omdat 16"}','2026-12-07 11:53:03.868253','2026-12-07 11:53:03.868253',0,'pending');
INSERT INTO "responses" VALUES(110,1,'voor',18,'{"position": 3, "why": "omdat 17"}','2026-12-07 11:53:03.868395','2026-12-07 11:53:03.868395',0,'pending');
INSERT INTO "responses" VALUES(111,1,'voor',19,'{"position": 4, "why": "omdat 18"}','2026-12-07 11:53:03.868538','2026-12-07 11:53:03.868538',0,'pending');
INSERT INTO "responses" VALUES(112,1,'voor',20,'{"position": 5, "why": "omdat 19"}','2026-12-07 11:53:03.868745','2026-12-07 11:53:03.868745',0,'pending');
INSERT INTO "responses" VALUES(113,1,'voor',21,'{"position": 1, "why": "omdat 20"}','2026-12-07 11:53:03.868892','2026-12-07 11:53:03.868892',0,'pending');
INSERT INTO "responses" VALUES(114,1,'voor',22,'{"position": 2, "why": "omdat 21"}','2026-12-07 11:53:03.869034','2026-12-07 11:53:03.869034',0,'pending');
INSERT INTO "responses" VALUES(115,1,'voor',23,'{"position": 3, "why": "omdat 22"}','2026-12-07 11:53:03.869179','2026-12-07 11:53:03.869179',0,'pending');
INSERT INTO "responses" VALUES(116,1,'na',1,'{"position": 2, "why": null}','2026-12-07 11:53:03.872764','2026-12-07 11:53:03.872764',0,'approved');
INSERT INTO "responses" VALUES(117,1,'na',2,'{"position": 3, "why": null}','2026-12-07 11:53:03.872951','2026-12-07 11:53:03.872951',0,'approved');
INSERT INTO "responses" VALUES(118,1,'na',3,'{"position": 4, "why": null}','2026-12-07 11:53:03.873098','2026-12-07 11:53:03.873098',0,'approved');
INSERT INTO "responses" VALUES(119,1,'na',4,'{"position": 5, "why": null}','2026-12-07 11:53:03.873237','2026-12-07 11:53:03.873237',0,'approved');
INSERT INTO "responses" VALUES(120,1,'na',5,'{"position": 1, "why": null}','2026-12-07 11:53:03.873377','2026-12-07 11:53:03.873377',0,'approved');
INSERT INTO "responses" VALUES(121,1,'na',6,'{"position": 2, "why": null}','2026-12-07 11:53:03.873530','2026-12-07 11:53:03.873530',0,'approved');
INSERT INTO "responses" VALUES(122,1,'na',7,'{"position": 3, "why": null}','2026-12-07 11:53:03.873671','2026-12-07 11:53:03.873671',0,'approved');
INSERT INTO "responses" VALUES(123,1,'na',8,'{"position": 4, "why": null}','2026-12-07 11:53:03.873814','2026-12-07 11:53:03.873814',0,'approved');
INSERT INTO "responses" VALUES(124,1,'na',9,'{"position": 5, "why": null}','2026-12-07 11:53:03.873949','2026-12-07 11:53:03.873949',0,'approved');
INSERT INTO "responses" VALUES(125,1,'na',10,'{"position": 1, "why": null}','2026-12-07 11:53:03.874083','2026-12-07 11:53:03.874083',0,'approved');
INSERT INTO "responses" VALUES(126,1,'na',11,'{"position": 2, "why": null}','2026-12-07 11:53:03.874217','2026-12-07 11:53:03.874217',0,'approved');
INSERT INTO "responses" VALUES(127,1,'na',12,'{"position": 3, "why": null}','2026-12-07 11:53:03.878508','2026-12-07 11:53:03.878508',0,'approved');
INSERT INTO "responses" VALUES(128,1,'na',13,'{"position": 4, "why": null}','2026-12-07 11:53:03.878708','2026-12-07 11:53:03.878708',0,'approved');
INSERT INTO "responses" VALUES(129,1,'na',14,'{"position": 5, "why": null}','2026-12-07 11:53:03.878863','2026-12-07 11:53:03.878863',0,'approved');
INSERT INTO "responses" VALUES(130,1,'na',15,'{"position": 1, "why": null}','2026-12-07 11:53:03.879006','2026-12-07 11:53:03.879006',0,'approved');
INSERT INTO "responses" VALUES(131,1,'na',16,'{"position": 2, "why": null}','2026-12-07 11:53:03.879144','2026-12-07 11:53:03.879144',0,'approved');
INSERT INTO "responses" VALUES(132,1,'na',17,'{"position": 3, "why": null}','2026-12-07 11:53:03.879285','2026-12-07 11:53:03.879285',0,'approved');
INSERT INTO "responses" VALUES(133,1,'na',18,'{"position": 4, "why": null}','2026-12-07 11:53:03.879430','2026-12-07 11:53:03.879430',0,'approved');
INSERT INTO "responses" VALUES(134,1,'na',19,'{"position": 5, "why": null}','2026-12-07 11:53:03.879571','2026-12-07 11:53:03.879571',0,'approved');
INSERT INTO "responses" VALUES(135,1,'na',20,'{"position": 1, "why": null}','2026-12-07 11:53:03.879710','2026-12-07 11:53:03.879710',0,'approved');
INSERT INTO "responses" VALUES(136,1,'na',21,'{"position": 2, "why": null}','2026-12-07 11:53:03.879852','2026-12-07 11:53:03.879852',0,'approved');
INSERT INTO "responses" VALUES(137,1,'na',22,'{"position": 3, "why": null}','2026-12-07 11:53:03.879991','2026-12-07 11:53:03.879991',0,'approved');
INSERT INTO "responses" VALUES(138,1,'na',23,'{"position": 4, "why": null}','2026-12-07 11:53:03.880128','2026-12-07 11:53:03.880128',0,'approved');
INSERT INTO "responses" VALUES(139,1,'mening',1,'"Mening van deelnemer 0: \u2018ok\u2019 & <b>niet vet</b>"','2026-12-07 11:53:03.881992','2026-12-07 11:53:03.881992',0,'approved');
INSERT INTO "responses" VALUES(140,1,'mening',2,'"Mening van deelnemer 1: \u2018ok\u2019 & <b>niet vet</b>"','2026-12-07 11:53:03.882163','2026-12-07 11:53:03.882163',0,'hidden');
INSERT INTO "responses" VALUES(141,1,'mening',3,'"Mening van deelnemer 2: \u2018ok\u2019 & <b>niet vet</b>"','2026-12-07 11:53:03.886412','2026-12-07 11:53:03.886412',0,'approved');
INSERT INTO "responses" VALUES(142,1,'mening',4,'"Mening van deelnemer 3: \u2018ok\u2019 & <b>niet vet</b>"','2026-12-07 11:53:03.886649','2026-12-07 11:53:03.886649',0,'hidden');
INSERT INTO "responses" VALUES(143,1,'mening',5,'"Mening van deelnemer 4: \u2018ok\u2019 & <b>niet vet</b>"','2026-12-07 11:53:03.886820','2026-12-07 11:53:03.886820',0,'pending');
INSERT INTO "responses" VALUES(144,1,'mening',6,'"Mening van deelnemer 5: \u2018ok\u2019 & <b>niet vet</b>"','2026-12-07 11:53:03.886972','2026-12-07 11:53:03.886972',0,'pending');
INSERT INTO "responses" VALUES(145,1,'mening',7,'"Mening van deelnemer 6: \u2018ok\u2019 & <b>niet vet</b>"','2026-12-07 11:53:03.887130','2026-12-07 11:53:03.887130',0,'pending');
INSERT INTO "responses" VALUES(146,1,'mening',8,'"Mening van deelnemer 7: \u2018ok\u2019 & <b>niet vet</b>"','2026-12-07 11:53:03.887279','2026-12-07 11:53:03.887279',0,'pending');
INSERT INTO "responses" VALUES(147,1,'mening',9,'"Mening van deelnemer 8: \u2018ok\u2019 & <b>niet vet</b>"','2026-12-07 11:53:03.887430','2026-12-07 11:53:03.887430',0,'pending');
INSERT INTO "responses" VALUES(148,1,'mening',10,'"Mening van deelnemer 9: \u2018ok\u2019 & <b>niet vet</b>"','2026-12-07 11:53:03.887571','2026-12-07 11:53:03.887571',0,'pending');
INSERT INTO "responses" VALUES(149,1,'mening',11,'"Mening van deelnemer 10: \u2018ok\u2019 & <b>niet vet</b>"','2026-12-07 11:53:03.887712','2026-12-07 11:53:03.887712',0,'pending');
INSERT INTO "responses" VALUES(150,1,'mening',12,'"Mening van deelnemer 11: \u2018ok\u2019 & <b>niet vet</b>"','2026-12-07 11:53:03.887853','2026-12-07 11:53:03.887853',0,'pending');
INSERT INTO "responses" VALUES(151,1,'mening',13,'"Mening van deelnemer 12: \u2018ok\u2019 & <b>niet vet</b>"','2026-12-07 11:53:03.887992','2026-12-07 11:53:03.887992',0,'pending');
INSERT INTO "responses" VALUES(152,1,'mening',14,'"Mening van deelnemer 13: \u2018ok\u2019 & <b>niet vet</b>"','2026-12-07 11:53:03.888134','2026-12-07 11:53:03.888134',0,'pending');
INSERT INTO "responses" VALUES(153,1,'mening',15,'"Mening van deelnemer 14: \u2018ok\u2019 & <b>niet vet</b>"','2026-12-07 11:53:03.888280','2026-12-07 11:53:03.888280',0,'pending');
INSERT INTO "responses" VALUES(154,1,'mening',16,'"Mening van deelnemer 15: \u2018ok\u2019 & <b>niet vet</b>"','2026-12-07 11:53:03.888435','2026-12-07 11:53:03.888435',0,'pending');
INSERT INTO "responses" VALUES(155,1,'mening',17,'"Mening van deelnemer 16: \u2018ok\u2019 & <b>niet vet</b>"','2026-12-07 11:53:03.888575','2026-12-07 11:53:03.888575',0,'pending');
INSERT INTO "responses" VALUES(156,1,'mening',18,'"Mening van deelnemer 17: \u2018ok\u2019 & <b>niet vet</b>"','2026-12-07 11:53:03.888725','2026-12-07 11:53:03.888725',0,'pending');
INSERT INTO "responses" VALUES(157,1,'mening',19,'"Mening van deelnemer 18: \u2018ok\u2019 & <b>niet vet</b>"','2026-12-07 11:53:03.888864','2026-12-07 11:53:03.888864',0,'pending');
INSERT INTO "responses" VALUES(158,1,'mening',20,'"Mening van deelnemer 19: \u2018ok\u2019 & <b>niet vet</b>"','2026-12-07 11:53:03.889007','2026-12-07 11:53:03.889007',0,'pending');
INSERT INTO "responses" VALUES(159,1,'mening',21,'"Mening van deelnemer 20: \u2018ok\u2019 & <b>niet vet</b>"','2026-12-07 11:53:03.889144','2026-12-07 11:53:03.889144',0,'pending');
INSERT INTO "responses" VALUES(160,1,'mening',22,'"Mening van deelnemer 21: \u2018ok\u2019 & <b>niet vet</b>"','2026-12-07 11:53:03.889283','2026-12-07 11:53:03.889283',0,'pending');
INSERT INTO "responses" VALUES(161,1,'mening',23,'"Mening van deelnemer 22: \u2018ok\u2019 & <b>niet vet</b>"','2026-12-07 11:53:03.889425','2026-12-07 11:53:03.889425',0,'pending');
INSERT INTO "responses" VALUES(162,1,'e1',1,'"nee"','2026-12-07 11:53:03.911593','2026-12-07 11:53:03.929459',1,'approved');
INSERT INTO "responses" VALUES(163,1,'e1',2,'"nee"','2026-12-07 11:53:03.914573','2026-12-07 11:53:03.914573',0,'approved');
INSERT INTO "responses" VALUES(164,1,'e1',3,'"ja"','2026-12-07 11:53:03.914756','2026-12-07 11:53:03.914756',0,'approved');
INSERT INTO "responses" VALUES(165,1,'e1',4,'"nee"','2026-12-07 11:53:03.914898','2026-12-07 11:53:03.914898',0,'approved');
INSERT INTO "responses" VALUES(166,1,'e1',5,'"ja"','2026-12-07 11:53:03.915033','2026-12-07 11:53:03.915033',0,'approved');
INSERT INTO "responses" VALUES(167,1,'e1',6,'"nee"','2026-12-07 11:53:03.915314','2026-12-07 11:53:03.915314',0,'approved');
INSERT INTO "responses" VALUES(168,1,'e1',8,'"nee"','2026-12-07 11:53:03.915539','2026-12-07 11:53:03.915539',0,'approved');
INSERT INTO "responses" VALUES(169,1,'e1',9,'"ja"','2026-12-07 11:53:03.915693','2026-12-07 11:53:03.915693',0,'approved');
INSERT INTO "responses" VALUES(170,1,'e1',10,'"nee"','2026-12-07 11:53:03.915883','2026-12-07 11:53:03.915883',0,'approved');
INSERT INTO "responses" VALUES(171,1,'e1',11,'"ja"','2026-12-07 11:53:03.916032','2026-12-07 11:53:03.916032',0,'approved');
INSERT INTO "responses" VALUES(172,1,'e1',12,'"nee"','2026-12-07 11:53:03.916159','2026-12-07 11:53:03.916159',0,'approved');
INSERT INTO "responses" VALUES(173,1,'e1',13,'"ja"','2026-12-07 11:53:03.917759','2026-12-07 11:53:03.917759',0,'approved');
INSERT INTO "responses" VALUES(174,1,'e1',15,'"ja"','2026-12-07 11:53:03.917917','2026-12-07 11:53:03.917917',0,'approved');
INSERT INTO "responses" VALUES(175,1,'e1',16,'"nee"','2026-12-07 11:53:03.918054','2026-12-07 11:53:03.918054',0,'approved');
INSERT INTO "responses" VALUES(176,1,'e1',17,'"ja"','2026-12-07 11:53:03.918186','2026-12-07 11:53:03.918186',0,'approved');
INSERT INTO "responses" VALUES(177,1,'e1',18,'"nee"','2026-12-07 11:53:03.918359','2026-12-07 11:53:03.918359',0,'approved');
INSERT INTO "responses" VALUES(178,1,'e1',19,'"ja"','2026-12-07 11:53:03.918498','2026-12-07 11:53:03.918498',0,'approved');
INSERT INTO "responses" VALUES(179,1,'e1',20,'"nee"','2026-12-07 11:53:03.918672','2026-12-07 11:53:03.918672',0,'approved');
INSERT INTO "responses" VALUES(180,1,'e1',22,'"nee"','2026-12-07 11:53:03.918823','2026-12-07 11:53:03.918823',0,'approved');
INSERT INTO "responses" VALUES(181,1,'e1',23,'"ja"','2026-12-07 11:53:03.918950','2026-12-07 11:53:03.918950',0,'approved');
INSERT INTO "responses" VALUES(182,1,'e2',1,'{"position": 0, "why": null}','2026-12-07 11:53:03.920731','2026-12-07 11:53:03.920731',0,'approved');
INSERT INTO "responses" VALUES(183,1,'e2',2,'{"position": 1, "why": null}','2026-12-07 11:53:03.920893','2026-12-07 11:53:03.920893',0,'approved');
INSERT INTO "responses" VALUES(184,1,'e2',3,'{"position": 2, "why": null}','2026-12-07 11:53:03.927000','2026-12-07 11:53:03.927000',0,'approved');
INSERT INTO "responses" VALUES(185,1,'e2',4,'{"position": 3, "why": null}','2026-12-07 11:53:03.927211','2026-12-07 11:53:03.927211',0,'approved');
INSERT INTO "responses" VALUES(186,1,'e2',5,'{"position": 4, "why": null}','2026-12-07 11:53:03.927363','2026-12-07 11:53:03.927363',0,'approved');
INSERT INTO "responses" VALUES(187,1,'e2',6,'{"position": 5, "why": null}','2026-12-07 11:53:03.927501','2026-12-07 11:53:03.927501',0,'approved');
INSERT INTO "responses" VALUES(188,1,'e2',8,'{"position": 7, "why": null}','2026-12-07 11:53:03.927636','2026-12-07 11:53:03.927636',0,'approved');
INSERT INTO "responses" VALUES(189,1,'e2',9,'{"position": 8, "why": null}','2026-12-07 11:53:03.927766','2026-12-07 11:53:03.927766',0,'approved');
INSERT INTO "responses" VALUES(190,1,'e2',10,'{"position": 9, "why": null}','2026-12-07 11:53:03.927893','2026-12-07 11:53:03.927893',0,'approved');
INSERT INTO "responses" VALUES(191,1,'e2',11,'{"position": 10, "why": null}','2026-12-07 11:53:03.928021','2026-12-07 11:53:03.928021',0,'approved');
INSERT INTO "responses" VALUES(192,1,'e2',12,'{"position": 0, "why": null}','2026-12-07 11:53:03.928148','2026-12-07 11:53:03.928148',0,'approved');
INSERT INTO "responses" VALUES(193,1,'e2',13,'{"position": 1, "why": null}','2026-12-07 11:53:03.928289','2026-12-07 11:53:03.928289',0,'approved');
INSERT INTO "responses" VALUES(194,1,'e2',15,'{"position": 3, "why": null}','2026-12-07 11:53:03.928417','2026-12-07 11:53:03.928417',0,'approved');
INSERT INTO "responses" VALUES(195,1,'e2',16,'{"position": 4, "why": null}','2026-12-07 11:53:03.928545','2026-12-07 11:53:03.928545',0,'approved');
INSERT INTO "responses" VALUES(196,1,'e2',17,'{"position": 5, "why": null}','2026-12-07 11:53:03.928674','2026-12-07 11:53:03.928674',0,'approved');
INSERT INTO "responses" VALUES(197,1,'e2',18,'{"position": 6, "why": null}','2026-12-07 11:53:03.928801','2026-12-07 11:53:03.928801',0,'approved');
INSERT INTO "responses" VALUES(198,1,'e2',19,'{"position": 7, "why": null}','2026-12-07 11:53:03.928929','2026-12-07 11:53:03.928929',0,'approved');
INSERT INTO "responses" VALUES(199,1,'e2',20,'{"position": 8, "why": null}','2026-12-07 11:53:03.929055','2026-12-07 11:53:03.929055',0,'approved');
INSERT INTO "responses" VALUES(200,1,'e2',22,'{"position": 10, "why": null}','2026-12-07 11:53:03.929183','2026-12-07 11:53:03.929183',0,'approved');
INSERT INTO "responses" VALUES(201,1,'e2',23,'{"position": 0, "why": null}','2026-12-07 11:53:03.929312','2026-12-07 11:53:03.929312',0,'approved');
CREATE TABLE sign_in_tokens (
	id INTEGER NOT NULL, 
	token_hash VARCHAR(64) NOT NULL, 
	created_at DATETIME NOT NULL, 
	"table" INTEGER, 
	used_at DATETIME, 
	PRIMARY KEY (id), 
	UNIQUE (token_hash)
);
CREATE TABLE submissions (
	id INTEGER NOT NULL, 
	participant_id INTEGER NOT NULL, 
	client_id VARCHAR(64) NOT NULL, 
	activity_id VARCHAR(64) NOT NULL, 
	received_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (participant_id, client_id), 
	FOREIGN KEY(participant_id) REFERENCES participants (id) ON DELETE CASCADE
);
INSERT INTO "submissions" VALUES(1,1,'org-000000','org','2026-12-07 11:53:03.808748');
INSERT INTO "submissions" VALUES(2,2,'org-000001','org','2026-12-07 11:53:03.809608');
INSERT INTO "submissions" VALUES(3,3,'org-000002','org','2026-12-07 11:53:03.809801');
INSERT INTO "submissions" VALUES(4,4,'org-000003','org','2026-12-07 11:53:03.809958');
INSERT INTO "submissions" VALUES(5,5,'org-000004','org','2026-12-07 11:53:03.810109');
INSERT INTO "submissions" VALUES(6,6,'org-000005','org','2026-12-07 11:53:03.810259');
INSERT INTO "submissions" VALUES(7,7,'org-000006','org','2026-12-07 11:53:03.814639');
INSERT INTO "submissions" VALUES(8,8,'org-000007','org','2026-12-07 11:53:03.814855');
INSERT INTO "submissions" VALUES(9,9,'org-000008','org','2026-12-07 11:53:03.815176');
INSERT INTO "submissions" VALUES(10,10,'org-000009','org','2026-12-07 11:53:03.815412');
INSERT INTO "submissions" VALUES(11,11,'org-000010','org','2026-12-07 11:53:03.815620');
INSERT INTO "submissions" VALUES(12,12,'org-000011','org','2026-12-07 11:53:03.815830');
INSERT INTO "submissions" VALUES(13,13,'org-000012','org','2026-12-07 11:53:03.816049');
INSERT INTO "submissions" VALUES(14,14,'org-000013','org','2026-12-07 11:53:03.816252');
INSERT INTO "submissions" VALUES(15,15,'org-000014','org','2026-12-07 11:53:03.816439');
INSERT INTO "submissions" VALUES(16,16,'org-000015','org','2026-12-07 11:53:03.816577');
INSERT INTO "submissions" VALUES(17,17,'org-000016','org','2026-12-07 11:53:03.816719');
INSERT INTO "submissions" VALUES(18,18,'org-000017','org','2026-12-07 11:53:03.816891');
INSERT INTO "submissions" VALUES(19,19,'org-000018','org','2026-12-07 11:53:03.817040');
INSERT INTO "submissions" VALUES(20,20,'org-000019','org','2026-12-07 11:53:03.817182');
INSERT INTO "submissions" VALUES(21,21,'org-000020','org','2026-12-07 11:53:03.817380');
INSERT INTO "submissions" VALUES(22,22,'org-000021','org','2026-12-07 11:53:03.817582');
INSERT INTO "submissions" VALUES(23,23,'org-000022','org','2026-12-07 11:53:03.817754');
INSERT INTO "submissions" VALUES(24,1,'wolk-000000','wolk','2026-12-07 11:53:03.828297');
INSERT INTO "submissions" VALUES(25,2,'wolk-000001','wolk','2026-12-07 11:53:03.828625');
INSERT INTO "submissions" VALUES(26,3,'wolk-000002','wolk','2026-12-07 11:53:03.828843');
INSERT INTO "submissions" VALUES(27,4,'wolk-000003','wolk','2026-12-07 11:53:03.829012');
INSERT INTO "submissions" VALUES(28,5,'wolk-000004','wolk','2026-12-07 11:53:03.829171');
INSERT INTO "submissions" VALUES(29,6,'wolk-000005','wolk','2026-12-07 11:53:03.829331');
INSERT INTO "submissions" VALUES(30,7,'wolk-000006','wolk','2026-12-07 11:53:03.829490');
INSERT INTO "submissions" VALUES(31,8,'wolk-000007','wolk','2026-12-07 11:53:03.829644');
INSERT INTO "submissions" VALUES(32,9,'wolk-000008','wolk','2026-12-07 11:53:03.829792');
INSERT INTO "submissions" VALUES(33,10,'wolk-000009','wolk','2026-12-07 11:53:03.829945');
INSERT INTO "submissions" VALUES(34,11,'wolk-000010','wolk','2026-12-07 11:53:03.830093');
INSERT INTO "submissions" VALUES(35,12,'wolk-000011','wolk','2026-12-07 11:53:03.830245');
INSERT INTO "submissions" VALUES(36,13,'wolk-000012','wolk','2026-12-07 11:53:03.834406');
INSERT INTO "submissions" VALUES(37,14,'wolk-000013','wolk','2026-12-07 11:53:03.834632');
INSERT INTO "submissions" VALUES(38,15,'wolk-000014','wolk','2026-12-07 11:53:03.834807');
INSERT INTO "submissions" VALUES(39,16,'wolk-000015','wolk','2026-12-07 11:53:03.834968');
INSERT INTO "submissions" VALUES(40,17,'wolk-000016','wolk','2026-12-07 11:53:03.835125');
INSERT INTO "submissions" VALUES(41,18,'wolk-000017','wolk','2026-12-07 11:53:03.835277');
INSERT INTO "submissions" VALUES(42,19,'wolk-000018','wolk','2026-12-07 11:53:03.835426');
INSERT INTO "submissions" VALUES(43,20,'wolk-000019','wolk','2026-12-07 11:53:03.835580');
INSERT INTO "submissions" VALUES(44,21,'wolk-000020','wolk','2026-12-07 11:53:03.835724');
INSERT INTO "submissions" VALUES(45,22,'wolk-000021','wolk','2026-12-07 11:53:03.835873');
INSERT INTO "submissions" VALUES(46,23,'wolk-000022','wolk','2026-12-07 11:53:03.836021');
INSERT INTO "submissions" VALUES(47,1,'rang-000000','rang','2026-12-07 11:53:03.838056');
INSERT INTO "submissions" VALUES(48,2,'rang-000001','rang','2026-12-07 11:53:03.838241');
INSERT INTO "submissions" VALUES(49,3,'rang-000002','rang','2026-12-07 11:53:03.842592');
INSERT INTO "submissions" VALUES(50,4,'rang-000003','rang','2026-12-07 11:53:03.842866');
INSERT INTO "submissions" VALUES(51,5,'rang-000004','rang','2026-12-07 11:53:03.843034');
INSERT INTO "submissions" VALUES(52,6,'rang-000005','rang','2026-12-07 11:53:03.843190');
INSERT INTO "submissions" VALUES(53,7,'rang-000006','rang','2026-12-07 11:53:03.843334');
INSERT INTO "submissions" VALUES(54,8,'rang-000007','rang','2026-12-07 11:53:03.843476');
INSERT INTO "submissions" VALUES(55,9,'rang-000008','rang','2026-12-07 11:53:03.843614');
INSERT INTO "submissions" VALUES(56,10,'rang-000009','rang','2026-12-07 11:53:03.843752');
INSERT INTO "submissions" VALUES(57,11,'rang-000010','rang','2026-12-07 11:53:03.843891');
INSERT INTO "submissions" VALUES(58,12,'rang-000011','rang','2026-12-07 11:53:03.844032');
INSERT INTO "submissions" VALUES(59,13,'rang-000012','rang','2026-12-07 11:53:03.844172');
INSERT INTO "submissions" VALUES(60,14,'rang-000013','rang','2026-12-07 11:53:03.844309');
INSERT INTO "submissions" VALUES(61,15,'rang-000014','rang','2026-12-07 11:53:03.844445');
INSERT INTO "submissions" VALUES(62,16,'rang-000015','rang','2026-12-07 11:53:03.844585');
INSERT INTO "submissions" VALUES(63,17,'rang-000016','rang','2026-12-07 11:53:03.844723');
INSERT INTO "submissions" VALUES(64,18,'rang-000017','rang','2026-12-07 11:53:03.844862');
INSERT INTO "submissions" VALUES(65,19,'rang-000018','rang','2026-12-07 11:53:03.844997');
INSERT INTO "submissions" VALUES(66,20,'rang-000019','rang','2026-12-07 11:53:03.845133');
INSERT INTO "submissions" VALUES(67,21,'rang-000020','rang','2026-12-07 11:53:03.845266');
INSERT INTO "submissions" VALUES(68,22,'rang-000021','rang','2026-12-07 11:53:03.845401');
INSERT INTO "submissions" VALUES(69,23,'rang-000022','rang','2026-12-07 11:53:03.845539');
INSERT INTO "submissions" VALUES(70,1,'blokken-000000','blokken','2026-12-07 11:53:03.851217');
INSERT INTO "submissions" VALUES(71,2,'blokken-000001','blokken','2026-12-07 11:53:03.851469');
INSERT INTO "submissions" VALUES(72,3,'blokken-000002','blokken','2026-12-07 11:53:03.851642');
INSERT INTO "submissions" VALUES(73,4,'blokken-000003','blokken','2026-12-07 11:53:03.851792');
INSERT INTO "submissions" VALUES(74,5,'blokken-000004','blokken','2026-12-07 11:53:03.851943');
INSERT INTO "submissions" VALUES(75,6,'blokken-000005','blokken','2026-12-07 11:53:03.852083');
INSERT INTO "submissions" VALUES(76,7,'blokken-000006','blokken','2026-12-07 11:53:03.852221');
INSERT INTO "submissions" VALUES(77,8,'blokken-000007','blokken','2026-12-07 11:53:03.852361');
INSERT INTO "submissions" VALUES(78,9,'blokken-000008','blokken','2026-12-07 11:53:03.852497');
INSERT INTO "submissions" VALUES(79,10,'blokken-000009','blokken','2026-12-07 11:53:03.852634');
INSERT INTO "submissions" VALUES(80,11,'blokken-000010','blokken','2026-12-07 11:53:03.852872');
INSERT INTO "submissions" VALUES(81,12,'blokken-000011','blokken','2026-12-07 11:53:03.853016');
INSERT INTO "submissions" VALUES(82,13,'blokken-000012','blokken','2026-12-07 11:53:03.853153');
INSERT INTO "submissions" VALUES(83,14,'blokken-000013','blokken','2026-12-07 11:53:03.853289');
INSERT INTO "submissions" VALUES(84,15,'blokken-000014','blokken','2026-12-07 11:53:03.853425');
INSERT INTO "submissions" VALUES(85,16,'blokken-000015','blokken','2026-12-07 11:53:03.853576');
INSERT INTO "submissions" VALUES(86,17,'blokken-000016','blokken','2026-12-07 11:53:03.853714');
INSERT INTO "submissions" VALUES(87,18,'blokken-000017','blokken','2026-12-07 11:53:03.853851');
INSERT INTO "submissions" VALUES(88,19,'blokken-000018','blokken','2026-12-07 11:53:03.853987');
INSERT INTO "submissions" VALUES(89,20,'blokken-000019','blokken','2026-12-07 11:53:03.854124');
INSERT INTO "submissions" VALUES(90,21,'blokken-000020','blokken','2026-12-07 11:53:03.854262');
INSERT INTO "submissions" VALUES(91,22,'blokken-000021','blokken','2026-12-07 11:53:03.858590');
INSERT INTO "submissions" VALUES(92,23,'blokken-000022','blokken','2026-12-07 11:53:03.858764');
INSERT INTO "submissions" VALUES(93,1,'voor-000000','voor','2026-12-07 11:53:03.860630');
INSERT INTO "submissions" VALUES(94,2,'voor-000001','voor','2026-12-07 11:53:03.860823');
INSERT INTO "submissions" VALUES(95,3,'voor-000002','voor','2026-12-07 11:53:03.860986');
INSERT INTO "submissions" VALUES(96,4,'voor-000003','voor','2026-12-07 11:53:03.861145');
INSERT INTO "submissions" VALUES(97,5,'voor-000004','voor','2026-12-07 11:53:03.861295');
INSERT INTO "submissions" VALUES(98,6,'voor-000005','voor','2026-12-07 11:53:03.866408');
INSERT INTO "submissions" VALUES(99,7,'voor-000006','voor','2026-12-07 11:53:03.866662');
INSERT INTO "submissions" VALUES(100,8,'voor-000007','voor','2026-12-07 11:53:03.866851');
INSERT INTO "submissions" VALUES(101,9,'voor-000008','voor','2026-12-07 11:53:03.867021');
INSERT INTO "submissions" VALUES(102,10,'voor-000009','voor','2026-12-07 11:53:03.867180');
INSERT INTO "submissions" VALUES(103,11,'voor-000010','voor','2026-12-07 11:53:03.867332');
INSERT INTO "submissions" VALUES(104,12,'voor-000011','voor','2026-12-07 11:53:03.867482');
INSERT INTO "submissions" VALUES(105,13,'voor-000012','voor','2026-12-07 11:53:03.867630');
INSERT INTO "submissions" VALUES(106,14,'voor-000013','voor','2026-12-07 11:53:03.867776');
INSERT INTO "submissions" VALUES(107,15,'voor-000014','voor','2026-12-07 11:53:03.867924');
INSERT INTO "submissions" VALUES(108,16,'voor-000015','voor','2026-12-07 11:53:03.868067');
INSERT INTO "submissions" VALUES(109,17,'voor-000016','voor','2026-12-07 11:53:03.868214');
INSERT INTO "submissions" VALUES(110,18,'voor-000017','voor','2026-12-07 11:53:03.868358');
INSERT INTO "submissions" VALUES(111,19,'voor-000018','voor','2026-12-07 11:53:03.868501');
INSERT INTO "submissions" VALUES(112,20,'voor-000019','voor','2026-12-07 11:53:03.868708');
INSERT INTO "submissions" VALUES(113,21,'voor-000020','voor','2026-12-07 11:53:03.868855');
INSERT INTO "submissions" VALUES(114,22,'voor-000021','voor','2026-12-07 11:53:03.868997');
INSERT INTO "submissions" VALUES(115,23,'voor-000022','voor','2026-12-07 11:53:03.869141');
INSERT INTO "submissions" VALUES(116,1,'na-000000','na','2026-12-07 11:53:03.872675');
INSERT INTO "submissions" VALUES(117,2,'na-000001','na','2026-12-07 11:53:03.872908');
INSERT INTO "submissions" VALUES(118,3,'na-000002','na','2026-12-07 11:53:03.873060');
INSERT INTO "submissions" VALUES(119,4,'na-000003','na','2026-12-07 11:53:03.873201');
INSERT INTO "submissions" VALUES(120,5,'na-000004','na','2026-12-07 11:53:03.873341');
INSERT INTO "submissions" VALUES(121,6,'na-000005','na','2026-12-07 11:53:03.873493');
INSERT INTO "submissions" VALUES(122,7,'na-000006','na','2026-12-07 11:53:03.873634');
INSERT INTO "submissions" VALUES(123,8,'na-000007','na','2026-12-07 11:53:03.873777');
INSERT INTO "submissions" VALUES(124,9,'na-000008','na','2026-12-07 11:53:03.873913');
INSERT INTO "submissions" VALUES(125,10,'na-000009','na','2026-12-07 11:53:03.874048');
INSERT INTO "submissions" VALUES(126,11,'na-000010','na','2026-12-07 11:53:03.874181');
INSERT INTO "submissions" VALUES(127,12,'na-000011','na','2026-12-07 11:53:03.878428');
INSERT INTO "submissions" VALUES(128,13,'na-000012','na','2026-12-07 11:53:03.878661');
INSERT INTO "submissions" VALUES(129,14,'na-000013','na','2026-12-07 11:53:03.878823');
INSERT INTO "submissions" VALUES(130,15,'na-000014','na','2026-12-07 11:53:03.878969');
INSERT INTO "submissions" VALUES(131,16,'na-000015','na','2026-12-07 11:53:03.879108');
INSERT INTO "submissions" VALUES(132,17,'na-000016','na','2026-12-07 11:53:03.879249');
INSERT INTO "submissions" VALUES(133,18,'na-000017','na','2026-12-07 11:53:03.879393');
INSERT INTO "submissions" VALUES(134,19,'na-000018','na','2026-12-07 11:53:03.879533');
INSERT INTO "submissions" VALUES(135,20,'na-000019','na','2026-12-07 11:53:03.879672');
INSERT INTO "submissions" VALUES(136,21,'na-000020','na','2026-12-07 11:53:03.879816');
INSERT INTO "submissions" VALUES(137,22,'na-000021','na','2026-12-07 11:53:03.879955');
INSERT INTO "submissions" VALUES(138,23,'na-000022','na','2026-12-07 11:53:03.880092');
INSERT INTO "submissions" VALUES(139,1,'mening-000000','mening','2026-12-07 11:53:03.881939');
INSERT INTO "submissions" VALUES(140,2,'mening-000001','mening','2026-12-07 11:53:03.882120');
INSERT INTO "submissions" VALUES(141,3,'mening-000002','mening','2026-12-07 11:53:03.886313');
INSERT INTO "submissions" VALUES(142,4,'mening-000003','mening','2026-12-07 11:53:03.886598');
INSERT INTO "submissions" VALUES(143,5,'mening-000004','mening','2026-12-07 11:53:03.886778');
INSERT INTO "submissions" VALUES(144,6,'mening-000005','mening','2026-12-07 11:53:03.886934');
INSERT INTO "submissions" VALUES(145,7,'mening-000006','mening','2026-12-07 11:53:03.887091');
INSERT INTO "submissions" VALUES(146,8,'mening-000007','mening','2026-12-07 11:53:03.887241');
INSERT INTO "submissions" VALUES(147,9,'mening-000008','mening','2026-12-07 11:53:03.887391');
INSERT INTO "submissions" VALUES(148,10,'mening-000009','mening','2026-12-07 11:53:03.887534');
INSERT INTO "submissions" VALUES(149,11,'mening-000010','mening','2026-12-07 11:53:03.887675');
INSERT INTO "submissions" VALUES(150,12,'mening-000011','mening','2026-12-07 11:53:03.887816');
INSERT INTO "submissions" VALUES(151,13,'mening-000012','mening','2026-12-07 11:53:03.887956');
INSERT INTO "submissions" VALUES(152,14,'mening-000013','mening','2026-12-07 11:53:03.888096');
INSERT INTO "submissions" VALUES(153,15,'mening-000014','mening','2026-12-07 11:53:03.888243');
INSERT INTO "submissions" VALUES(154,16,'mening-000015','mening','2026-12-07 11:53:03.888399');
INSERT INTO "submissions" VALUES(155,17,'mening-000016','mening','2026-12-07 11:53:03.888539');
INSERT INTO "submissions" VALUES(156,18,'mening-000017','mening','2026-12-07 11:53:03.888689');
INSERT INTO "submissions" VALUES(157,19,'mening-000018','mening','2026-12-07 11:53:03.888827');
INSERT INTO "submissions" VALUES(158,20,'mening-000019','mening','2026-12-07 11:53:03.888971');
INSERT INTO "submissions" VALUES(159,21,'mening-000020','mening','2026-12-07 11:53:03.889109');
INSERT INTO "submissions" VALUES(160,22,'mening-000021','mening','2026-12-07 11:53:03.889246');
INSERT INTO "submissions" VALUES(161,23,'mening-000022','mening','2026-12-07 11:53:03.889389');
INSERT INTO "submissions" VALUES(162,1,'e1-000000','e1','2026-12-07 11:53:03.911499');
INSERT INTO "submissions" VALUES(163,2,'e1-000001','e1','2026-12-07 11:53:03.914482');
INSERT INTO "submissions" VALUES(164,3,'e1-000002','e1','2026-12-07 11:53:03.914710');
INSERT INTO "submissions" VALUES(165,4,'e1-000003','e1','2026-12-07 11:53:03.914859');
INSERT INTO "submissions" VALUES(166,5,'e1-000004','e1','2026-12-07 11:53:03.914994');
INSERT INTO "submissions" VALUES(167,6,'e1-000005','e1','2026-12-07 11:53:03.915162');
INSERT INTO "submissions" VALUES(168,8,'e1-000007','e1','2026-12-07 11:53:03.915480');
INSERT INTO "submissions" VALUES(169,9,'e1-000008','e1','2026-12-07 11:53:03.915640');
INSERT INTO "submissions" VALUES(170,10,'e1-000009','e1','2026-12-07 11:53:03.915826');
INSERT INTO "submissions" VALUES(171,11,'e1-000010','e1','2026-12-07 11:53:03.915993');
INSERT INTO "submissions" VALUES(172,12,'e1-000011','e1','2026-12-07 11:53:03.916122');
INSERT INTO "submissions" VALUES(173,13,'e1-000012','e1','2026-12-07 11:53:03.917687');
INSERT INTO "submissions" VALUES(174,15,'e1-000014','e1','2026-12-07 11:53:03.917874');
INSERT INTO "submissions" VALUES(175,16,'e1-000015','e1','2026-12-07 11:53:03.918015');
INSERT INTO "submissions" VALUES(176,17,'e1-000016','e1','2026-12-07 11:53:03.918148');
INSERT INTO "submissions" VALUES(177,18,'e1-000017','e1','2026-12-07 11:53:03.918316');
INSERT INTO "submissions" VALUES(178,19,'e1-000018','e1','2026-12-07 11:53:03.918460');
INSERT INTO "submissions" VALUES(179,20,'e1-000019','e1','2026-12-07 11:53:03.918617');
INSERT INTO "submissions" VALUES(180,22,'e1-000021','e1','2026-12-07 11:53:03.918784');
INSERT INTO "submissions" VALUES(181,23,'e1-000022','e1','2026-12-07 11:53:03.918914');
INSERT INTO "submissions" VALUES(182,1,'e2-000000','e2','2026-12-07 11:53:03.920678');
INSERT INTO "submissions" VALUES(183,2,'e2-000001','e2','2026-12-07 11:53:03.920852');
INSERT INTO "submissions" VALUES(184,3,'e2-000002','e2','2026-12-07 11:53:03.926483');
INSERT INTO "submissions" VALUES(185,4,'e2-000003','e2','2026-12-07 11:53:03.927161');
INSERT INTO "submissions" VALUES(186,5,'e2-000004','e2','2026-12-07 11:53:03.927321');
INSERT INTO "submissions" VALUES(187,6,'e2-000005','e2','2026-12-07 11:53:03.927463');
INSERT INTO "submissions" VALUES(188,8,'e2-000007','e2','2026-12-07 11:53:03.927598');
INSERT INTO "submissions" VALUES(189,9,'e2-000008','e2','2026-12-07 11:53:03.927730');
INSERT INTO "submissions" VALUES(190,10,'e2-000009','e2','2026-12-07 11:53:03.927858');
INSERT INTO "submissions" VALUES(191,11,'e2-000010','e2','2026-12-07 11:53:03.927984');
INSERT INTO "submissions" VALUES(192,12,'e2-000011','e2','2026-12-07 11:53:03.928113');
INSERT INTO "submissions" VALUES(193,13,'e2-000012','e2','2026-12-07 11:53:03.928252');
INSERT INTO "submissions" VALUES(194,15,'e2-000014','e2','2026-12-07 11:53:03.928380');
INSERT INTO "submissions" VALUES(195,16,'e2-000015','e2','2026-12-07 11:53:03.928509');
INSERT INTO "submissions" VALUES(196,17,'e2-000016','e2','2026-12-07 11:53:03.928637');
INSERT INTO "submissions" VALUES(197,18,'e2-000017','e2','2026-12-07 11:53:03.928764');
INSERT INTO "submissions" VALUES(198,19,'e2-000018','e2','2026-12-07 11:53:03.928893');
INSERT INTO "submissions" VALUES(199,20,'e2-000019','e2','2026-12-07 11:53:03.929019');
INSERT INTO "submissions" VALUES(200,22,'e2-000021','e2','2026-12-07 11:53:03.929147');
INSERT INTO "submissions" VALUES(201,23,'e2-000022','e2','2026-12-07 11:53:03.929275');
INSERT INTO "submissions" VALUES(202,1,'e1-again-0','e1','2026-12-07 11:53:03.929409');
INSERT INTO "submissions" VALUES(203,1,'vrij-000000','vrij','2026-12-07 11:53:03.945268');
INSERT INTO "submissions" VALUES(204,2,'vrij-000001','vrij','2026-12-07 11:53:03.960777');
INSERT INTO "submissions" VALUES(205,3,'vrij-000002','vrij','2026-12-07 11:53:03.972589');
INSERT INTO "submissions" VALUES(206,4,'vrij-000003','vrij','2026-12-07 11:53:03.990930');
INSERT INTO "submissions" VALUES(207,5,'vrij-000004','vrij','2026-12-07 11:53:03.994061');
CREATE INDEX ix_activity_states_live_id ON activity_states (live_id);
CREATE INDEX ix_participants_live_id ON participants (live_id);
CREATE INDEX ix_log_entries_live_id ON log_entries (live_id);
CREATE INDEX ix_responses_participant_id ON responses (participant_id);
CREATE INDEX ix_questions_live_id ON questions (live_id);
CREATE INDEX ix_question_votes_question_id ON question_votes (question_id);
COMMIT;
