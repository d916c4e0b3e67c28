"""Write training/data/extra-v2-candidates.tsv: the v2 widening of the source list.

Explicit per-package rules (directory / file-name patterns read by hand from each package's
listing, class, recording group, at most N files a group spread over its numbered variants),
never the inventory's regex guess. Two kinds of packages:

- packages v1 already used, their files listed in ../shared/data/debian-audio-inventory.tsv;
- Debian bookworm main packages outside that inventory (the inventory's only packages that v1
  did not use are the reserved ones), listed from their cached .deb (and archives inside it).
  These make the cross-source validation and test splits possible (curate.py).

Licences were read from each package's copyright file (cache/copyright/ after fetching).

Usage: python3 -m earshot_sed.candidates_v2 [SHARED_DATA_DIR]
"""
import csv
import re
import subprocess
import sys
from pathlib import Path

from .archives import archive_members
from .fetch import DEBS, RCC_DIR, ZIPS, deb_file, read_list
from .labels import LABELS, RESERVED_PACKAGES

DATA = Path(__file__).resolve().parents[1] / "data"
LISTINGS = DEBS.parent / "listings"
AUDIO = re.compile(r"\.(ogg|wav|flac|mp3|oga|opus|wv)$", re.I)

# (package, class, path regex, group template, max files per group, licence, note)
# The group template is formatted with the regex's named groups; a `g` group, when present,
# is the numbered-variant stem.
NEW_PACKAGE_RULES = [
    # warzone2100-data: GPL-2+ (copyright: Files: *); sounds inside base.wz (a zip)
    ("warzone2100-data", "Speech", r"base\.wz:audio/taunts/(?P<v>taunt\d)/[\w-]+\.ogg$", "wz2100:{v}", 8, "GPL-2+", "taunt voice line, one speaker per set"),
    ("warzone2100-data", "Speech", r"base\.wz:audio/memressp/cmndrvoc/com\d+\.ogg$", "wz2100:commander", 8, "GPL-2+", "commander voice message"),
    ("warzone2100-data", "Speech", r"base\.wz:audio/memressp/missmesg/[\w-]+\.ogg$", "wz2100:missmesg", 8, "GPL-2+", "mission voice message"),
    ("warzone2100-data", "Speech", r"base\.wz:audio/tutorial/[\w-]+\.ogg$", "wz2100:tutorial", 10, "GPL-2+", "tutorial voice line"),
    ("warzone2100-data", "Speech", r"base\.wz:audio/vtoltalk/[\w-]+\.ogg$", "wz2100:vtoltalk", 6, "GPL-2+", "pilot radio voice"),
    ("warzone2100-data", "Scream", r"base\.wz:audio/sfx/misc/scream\d?\.ogg$", "wz2100:scream", 6, "GPL-2+", "scream"),
    ("warzone2100-data", "Explosion", r"base\.wz:audio/sfx/explons/(lrgexpl|smlexpl|atnkexpl|mpodexpl|nxsexpld|lsrexpl)\.ogg$", "wz2100:explosions", 10, "GPL-2+", "explosion"),
    ("warzone2100-data", "Explosion", r"base\.wz:audio/sfx/weapons/(mgheavy|asltmg|mgbar\d|mgtower|lrgcan|medcan|smlcan|hivelcan|rapdcan|mortar)\.ogg$", "wz2100:guns", 10, "GPL-2+", "machine gun / cannon / mortar fire"),
    ("warzone2100-data", "Vehicle", r"base\.wz:audio/sfx/vehicle/(tread|tstart|tland|tflight|thover|hovmove|hovstart|vtol-move|vtolland|vtoloff|con-move)\.ogg$", "wz2100:vehicle", 12, "GPL-2+", "vehicle engine / tracks / VTOL"),
    ("warzone2100-data", "Water", r"base\.wz:audio/sfx/weapons/splash\.ogg$", "wz2100:splash", 1, "GPL-2+", "splash"),
    ("warzone2100-data", "Alarm", r"base\.wz:audio/sfx/interfce/beep\d\.ogg$", "wz2100:beeps", 9, "GPL-2+", "interface beep"),
    # trigger-rally-data: GPL-2+ (data/data.zip), gear.wav CC0
    ("trigger-rally-data", "Speech", r"data\.zip:sounds/codriver/(?P<v>ab|paula|tim)/\w+\.wav$", "trigger:codriver-{v}", 8, "GPL-2+", "rally co-driver call, one speaker per folder"),
    ("trigger-rally-data", "Vehicle", r"data\.zip:sounds/engine\.wav$", "trigger:engine", 1, "GPL-2+", "rally car engine"),
    # warmux-data: GPL-2+ (whole package)
    ("warmux-data", "Scream", r"usr/share/games/warmux/sound/default/voices/(death|injured_high|injured_medium)\d\.ogg$", "warmux:voice-default", 15, "GPL-2+", "death / pain cry"),
    ("warmux-data", "Explosion", r"usr/share/games/warmux/sound/default/weapons/(explosion\d|dynamite_exp|riot_bomb_exp)\.ogg$", "warmux:explosions", 11, "GPL-2+", "explosion"),
    ("warmux-data", "Explosion", r"usr/share/games/warmux/sound/default/weapons/(m16|shotgun|gun)\.ogg$", "warmux:guns", 3, "GPL-2+", "gun shot"),
    ("warmux-data", "Vehicle", r"usr/share/games/warmux/sound/default/weapons/aircraft_flying\.ogg$", "warmux:aircraft", 1, "GPL-2+", "aircraft fly-by"),
    ("warmux-data", "Tools", r"usr/share/games/warmux/sound/default/weapons/airhammer_used\.ogg$", "warmux:airhammer", 1, "GPL-2+", "pneumatic hammer"),
    ("warmux-data", "Alarm", r"usr/share/games/warmux/sound/default/weapons/mine_beep\.ogg$", "warmux:mine-beep", 1, "GPL-2+", "beeping mine"),
    ("warmux-data", "Footsteps", r"usr/share/games/warmux/sound/default/misc/step\.ogg$", "warmux:step", 1, "GPL-2+", "footstep"),
    ("warmux-data", "Music", r"usr/share/games/warmux/music/(ingame|menu)/(?P<a>[A-Za-z_]+?)(\.-\..*)?\.ogg$", "warmux:music-{a}", 3, "GPL-2+", "game music track"),
    # supertux-data: GPL-3+ (Files: *), music GPL-2+
    ("supertux-data", "Water", r"usr/share/games/supertux2/sounds/(splash|waterfall|rain)\.(ogg|wav)$", "supertux:water", 4, "GPL-3+", "splash / waterfall / rain"),
    ("supertux-data", "Explosion", r"usr/share/games/supertux2/sounds/(explosion|firecracker)\.(ogg|wav)$", "supertux:explosion", 2, "GPL-3+", "explosion / firecracker"),
    ("supertux-data", "Alarm", r"usr/share/games/supertux2/sounds/(phone|savebell2|savebell_low)\.wav$", "supertux:bells", 3, "GPL-3+", "phone ring / bell"),
    ("supertux-data", "Tools", r"usr/share/games/supertux2/sounds/saw\.wav$", "supertux:saw", 1, "GPL-3+", "saw"),
    ("supertux-data", "Speech", r"usr/share/games/supertux2/(speech/tux_hello\.ogg|sounds/excellent\.wav|sounds/welldone\.ogg)$", "supertux:voice", 3, "GPL-3+", "short voice line"),
    ("supertux-data", "Music", r"usr/share/games/supertux2/music/(?P<d>\w+)/[\w-]+\.ogg$", "supertux:music-{d}", 3, "GPL-2+", "game music track"),
    # pingus-data: GPL-2+
    ("pingus-data", "Speech", r"usr/share/games/pingus/data/sounds/(letsgo|goodidea|ohno)\.wav$", "pingus:voice", 3, "GPL-2+", "voice line"),
    ("pingus-data", "Water", r"usr/share/games/pingus/data/sounds/splash\.wav$", "pingus:splash", 1, "GPL-2+", "splash"),
    # frozen-bubble-data: GPL-2
    ("frozen-bubble-data", "Typing", r"usr/share/games/frozen-bubble/snd/typewriter\.ogg$", "frozen-bubble:typewriter", 1, "GPL-2", "typewriter keys"),
    ("frozen-bubble-data", "Music", r"usr/share/games/frozen-bubble/snd/[\w-]*zik[\w-]*\.ogg$", "frozen-bubble:music", 3, "GPL-2", "game music track"),
    # alienblaster-data: GPL-2+
    ("alienblaster-data", "Explosion", r"usr/share/games/alienblaster/sound/(explosion|explosionBoss)\.wav$", "alienblaster:explosion", 2, "GPL-2+", "explosion"),
    ("alienblaster-data", "Alarm", r"usr/share/games/alienblaster/sound/alarm\.wav$", "alienblaster:alarm", 1, "GPL-2+", "alarm"),
    ("alienblaster-data", "Music", r"usr/share/games/alienblaster/sound/(intro|playon)\.wav$", "alienblaster:music", 2, "GPL-2+", "game music track"),
    # chromium-bsu-data: data/wav/* Expat
    ("chromium-bsu-data", "Explosion", r"usr/share/games/chromium-bsu/wav/(boom|explo\w+)\.wav$", "chromium-bsu:explosion", 4, "Expat", "explosion"),
    ("chromium-bsu-data", "Music", r"usr/share/games/chromium-bsu/wav/music_\w+\.wav$", "chromium-bsu:music", 2, "Expat", "game music loop"),
    # powermanga-data: GPL-3+
    ("powermanga-data", "Explosion", r"usr/share/games/powermanga/sounds/sound_(?P<s>big|medium|small)_explosion_\d\.wav$", "powermanga:explosion-{s}", 4, "GPL-3+", "explosion"),
    ("powermanga-data", "Music", r"usr/share/games/powermanga/sound/handheld_console/music_\w+\.ogg$", "powermanga:music", 3, "GPL-3+", "game music track"),
    # tuxtype-data: GPL-2
    ("tuxtype-data", "Alarm", r"usr/share/tuxtype/sounds/(alarm|buzz)\.wav$", "tuxtype:alarm", 2, "GPL-2", "alarm / buzzer"),
    ("tuxtype-data", "Explosion", r"usr/share/tuxtype/sounds/explosion\.wav$", "tuxtype:explosion", 1, "GPL-2", "explosion"),
    ("tuxtype-data", "Speech", r"usr/share/tuxtype/(themes/(?P<l>\w+)/)?sounds/excuseme\.wav$", "tuxtype:excuseme-{l}", 1, "GPL-2", "voice line"),
    ("tuxtype-data", "Music", r"usr/share/tuxtype/sounds/(amidst_the_raindrops|chiptune2|tuxi)\.ogg$", "tuxtype:music", 3, "GPL-2", "game music track"),
    # granatier: GPL-2+
    ("granatier", "Explosion", r"usr/share/granatier/sounds/(explode|corpse_explode)\.wav$", "granatier:explosion", 2, "GPL-2+", "explosion"),
    # lbreakout2-data: GPL
    ("lbreakout2-data", "Speech", r"usr/share/games/lbreakout2/sounds/(excellent|verygood|dammit|damn|wontgiveup)\.wav$", "lbreakout2:voice", 5, "GPL-2+", "voice line"),
    ("lbreakout2-data", "Explosion", r"usr/share/games/lbreakout2/sounds/exp\.wav$", "lbreakout2:explosion", 1, "GPL-2+", "explosion"),
    # linphone-common: GPL-3+
    ("linphone-common", "Alarm", r"usr/share/sounds/linphone/(rings/\w+-mono|ringback|incoming_chat)\.wav$", "linphone:rings", 4, "GPL-3+", "phone ring / ring-back tone"),
    ("linphone-common", "Speech", r"usr/share/sounds/linphone/hello16000\.wav$", "linphone:hello", 1, "GPL-3+", "voice greeting"),
    # pidgin-data: GPL-2+
    ("pidgin-data", "Alarm", r"usr/share/sounds/purple/\w+\.wav$", "pidgin:alerts", 5, "GPL-2+", "messenger alert chime"),
    # psi-plus-sounds: GPL-2+ (sound/* and the listed extra sounds)
    ("psi-plus-sounds", "Alarm", r"usr/share/psi-plus/sound/(attention|reminder|pepnotify|email|online|offline|ft_incoming|ft_complete|chat1|chat2|watcher)\.wav$", "psi-plus:alerts", 11, "GPL-2+", "messenger alert chime"),
    # gcompris-qt-data: sounds inside Qt resource files (rcc/<activity>.rcc); licences per file
    # from the DEP-5 copyright file (None below)
    ("gcompris-qt-data", "Animal", r"explore_farm_animals\.rcc:.*/animals/(pig|cat|horse|cow|dog|sheep)\.ogg$", "gcompris:farm-animals", 6, None, "farm animal call"),
    ("gcompris-qt-data", "Bird", r"explore_farm_animals\.rcc:.*/animals/(owl|chickens|duck)\.ogg$", "gcompris:farm-birds", 3, None, "owl / chickens / duck"),
    ("gcompris-qt-data", "Animal", r"memory-sound\.rcc:.*/(LRBark_\d_LA_cut|LRFrogsInPondDuringStormLACut)\.ogg$", "gcompris:memory-sound-animals", 3, None, "dog barks / frogs"),
    ("gcompris-qt-data", "Vehicle", r"(memory-sound\.rcc:.*/(LRStartAndStopCarEngine1LACut|LRTrain_slowing_down_01_LA_cut)\.ogg|railroad\.rcc:.*/train\.wav|traffic\.rcc:.*/car\.wav|guessnumber\.rcc:.*/helicopter\.wav)$", "gcompris:vehicles", 5, None, "car engine / train / helicopter"),
    ("gcompris-qt-data", "Water", r"(memory-sound\.rcc:.*/LRRain_in_garden_01_LA_cut\.ogg|canal_lock\.rcc:.*/water_fill\.wav|clickgame\.rcc:.*/(drip|bubble)\.wav|core\.rcc:.*/sounds/water\.wav)$", "gcompris:water", 5, None, "rain / filling lock / drip / bubbles"),
    ("gcompris-qt-data", "Alarm", r"memory-sound\.rcc:.*/(LRBuddhist_gong_05_LA|LRRing_01_LA)\.ogg$", "gcompris:gong-ring", 2, None, "gong / ring"),
    ("gcompris-qt-data", "Tools", r"mining\.rcc:.*/pickaxe\.wav$", "gcompris:pickaxe", 1, None, "pickaxe"),
    ("gcompris-qt-data", "Music", r"explore_world_music\.rcc:.*/music/\w+\.ogg$", "gcompris:world-music", 4, None, "music excerpt"),
    ("gcompris-qt-data", "Music", r"instruments\.rcc:.*/(piano|violin|trumpet|guitar|saxophone|flute_traversiere|drum_kit|accordion)\.ogg$", "gcompris:instruments", 4, None, "instrument melody"),
    # cube2-data (Sauerbraten): licences per directory from the DEP-5 file. Its sounds/0ad/ are
    # copies of 0ad-data files and are left out.
    ("cube2-data", "Scream", r"cube2/packages/sounds/aard/(die\d|pain\d)\.wav$", "cube2:aard-voice", 8, None, "death / pain cry (one voice)"),
    ("cube2-data", "Tools", r"cube2/packages/sounds/audioaugust/chainsaw/(attack|idle)\.ogg$", "cube2:chainsaw", 2, None, "chainsaw"),
    ("cube2-data", "Explosion", r"cube2/packages/sounds/(q009/(explosion|pistol\d?|rifle\d?|shotgun\d?|minigun\d?)|sfx/explode)\.ogg$", "cube2:weapons", 8, None, "explosion / gun shot"),
    ("cube2-data", "Water", r"cube2/packages/sounds/yo_frankie/(amb_waterdrip_2|watersplash2)\.ogg$", "cube2:water", 2, None, "water drip / splash"),
    # openarena-data: GPL-2+ (Files: *); sounds inside baseoa/pak0.pk3 (a zip)
    ("openarena-data", "Footsteps", r"pak0\.pk3:sound/player/footsteps/(?P<s>boot|flesh|step|clank)\d\.wav$", "openarena:footsteps-{s}", 4, "GPL-2+", "footstep"),
    ("openarena-data", "Water", r"pak0\.pk3:sound/(player/footsteps/splash\d|world/waterfall|world/drops)\.wav$", "openarena:water", 6, "GPL-2+", "splashing step / waterfall / drops"),
    ("openarena-data", "Scream", r"pak0\.pk3:sound/player/sarge/(death\d|pain\d+_1)\.wav$", "openarena:sarge", 7, "GPL-2+", "death / pain cry (one voice)"),
    ("openarena-data", "Explosion", r"pak0\.pk3:sound/weapons/(grenade/hgrenb\da|rocket/rocklx1a|machinegun/machgf\db)\.wav$", "openarena:weapons", 7, "GPL-2+", "grenade / rocket explosion, machine gun"),
    # teeworlds-data: data/* CC-BY-SA-3.0 (WavPack files, decoded by ffmpeg)
    ("teeworlds-data", "Footsteps", r"teeworlds/data/audio/foley_foot_(?P<f>left|right)-\d+\.wv$", "teeworlds:foot-{f}", 4, "CC-BY-SA-3.0", "footstep"),
    ("teeworlds-data", "Scream", r"teeworlds/data/audio/vo_teefault_(?P<k>pain_long|pain_short|cry)-\d+\.wv$", "teeworlds:teefault", 8, "CC-BY-SA-3.0", "pain cry (one voice)"),
    ("teeworlds-data", "Explosion", r"teeworlds/data/audio/wp_(?P<w>flump_explo|gun_fire|shotty_fire)-\d+\.wv$", "teeworlds:{w}", 3, "CC-BY-SA-3.0", "explosion / gun / shotgun"),
    ("teeworlds-data", "Music", r"teeworlds/data/audio/music_menu\.wv$", "teeworlds:music", 1, "CC-BY-SA-3.0", "menu music"),
    # extremetuxracer-data: GPL-2+
    ("extremetuxracer-data", "Music", r"usr/share/games/etr/music/[\w-]+\.ogg$", "etr:music", 4, "GPL-2+", "game music track"),
    # xmoto-data: GPL-2+
    ("xmoto-data", "Music", r"usr/share/games/xmoto/Textures/Musics/\w+\.ogg$", "xmoto:music", 4, "GPL-2+", "game music track"),
]


# Packages v1 already used: more files from the inventory, same care. (package, class, path
# regex, group template, max new files per group, licence or None = from the copyright file).
# Group templates: {dir} = last directory, {stem} = file name without extension and trailing
# variant number, {voice} etc. = named regex groups. When a v1 row of the package has the same
# directory and stem, its group is reused, so a new variant joins its siblings' split.
ZAD = r"public\.zip:audio/"
V1_PACKAGE_RULES = [
    ("0ad-data", "Animal", ZAD + r"actor/fauna/(animal|death)/(elephant|horse|lion|pig|sheep|cattle|camel|goat|death_horse|death_camel|Animal_death_generic)[\w]*\.ogg$", "0ad:{dir}/{stem}", 4, None, "animal call / death"),
    ("0ad-data", "Bird", ZAD + r"actor/fauna/animal/(chicken|flamingo|peacock_call)_\d+\.ogg$", "0ad:{dir}/{stem}", 4, None, "bird call"),
    ("0ad-data", "Scream", ZAD + r"actor/human/death/(male_death|female_death|death)_\d+\.ogg$", "0ad:{dir}/{stem}", 14, None, "death cry"),
    ("0ad-data", "Footsteps", ZAD + r"actor/(singlesteps/fs_|human/movement/hstep)\w+\.ogg$", "0ad:{dir}/{stem}", 10, None, "single footstep"),
    ("0ad-data", "Tools", ZAD + r"resource/(mining/mine_(metal|stone)|lumbering/lumber_tree|construction/con_(wood|saw|stone)|farming/hoe)_\d+\.ogg$", "0ad:{dir}/{stem}", 14, None, "mining / wood chopping / hammering / hoeing"),
    ("0ad-data", "Vehicle", ZAD + r"actor/ship/(ship_move|smove_\d+|warship_move_\d+)\.ogg$", "0ad:{dir}/{stem}", 3, None, "ship under way"),
    ("0ad-data", "Music", ZAD + r"music/[\w-]+\.ogg$", "0ad-music:{stem}", 1, None, "game music track"),
    ("megaglest-data", "Scream", r"megapack/.*/sounds/(archer|axe_thrower|guard|horseman|swordman|technician|worker|stickfighter|spearman|warrior|princess|initiate|battlemage|summoner|valkyrie|shaman|archmage)_die\d\.wav$", "megaglest:{dir}/{stem}", 5, None, "human death cry"),
    ("megaglest-data", "Animal", r"megapack/factions/persian/units/sheep/sounds/sheep\d\.wav$", "megaglest:{dir}/{stem}", 5, None, "sheep bleat"),
    ("megaglest-data", "Water", r"data/core/water_sounds/water\d\.wav$", "megaglest:water_sounds/water", 4, None, "water"),
    ("megaglest-data", "Tools", r"megapack/commondata/sounds/(anvil|technician_mine|worker_mine)\d\.wav$", "megaglest:{dir}/{stem}", 4, None, "anvil hammering / pick mining"),
    ("megaglest-data", "Vehicle", r"factions/tech/units/airship/sounds/airship_fly\.wav$", "megaglest:{dir}/{stem}", 1, None, "airship engine"),
    ("wesnoth-1.16-data", "Scream", r"data/core/sounds/((dwarf|human|human-old|orc|orc-small)-hit-\d|wail(-long|-sml)?|groan)\.(ogg|wav)$", "wesnoth:{stem}", 4, None, "pain cry / wail"),
    ("wesnoth-1.16-data", "Alarm", r"data/core/sounds/horn-signals/horn-\d\.ogg$", "wesnoth:horn-signals", 8, None, "horn signal"),
    ("wesnoth-1.16-data", "Bird", r"data/core/sounds/ambient/birds\d\.ogg$", "wesnoth:{dir}/{stem}", 2, None, "birdsong"),
    ("redeclipse-data", "Scream", r"data/sounds/player/(death\d?|pain\d)\.ogg$", "redeclipse:{dir}/{stem}", 5, None, "death / pain cry"),
    ("redeclipse-data", "Footsteps", r"data/sounds/player/(concstep|footstep)\d?\.ogg$", "redeclipse:{dir}/{stem}", 5, None, "footstep"),
    ("redeclipse-data", "Water", r"data/sounds/(ambience/waterfall(1|_indoor)|sfx/splosh\d?|player/swimstep\d?)\.ogg$", "redeclipse:{dir}/{stem}", 4, None, "waterfall / splash / swimming"),
    ("redeclipse-data", "Speech", r"data/sounds/voice/(damnit|haha|hangon|luckyshot|niceshot|noproblem|sorry|suckit|thanks|gogogo)\d?\.ogg$", "redeclipse:voice", 12, None, "voice taunt"),
    ("hedgewars-data", "Speech", r"Data/Sounds/voices/(?P<voice>British|Classic|Default|Default_es|Default_pl|Default_ru|Default_uk|HillBilly|Mobster|Pirate|Russian|Russian_pl|Singer|Surfer)/(Amazing|Brilliant|Byebye|Coward|Enemydown|Hello|Incoming|Leavemealone|Revenge|Solong|Traitor|Victory|Whatthe|Yessir)\.ogg$", "hedgewars-voice:{voice}", 3, None, "voice line"),
    ("hedgewars-data", "Scream", r"Data/Sounds/voices/(?P<voice>British|Classic|Default|Default_es|Default_pl|Default_ru|Default_uk|HillBilly|Mobster|Pirate|Russian|Russian_pl|Singer|Surfer)/(Ooff\d|Ow\d|Ouch|Nooo)\.ogg$", "hedgewars-voice:{voice}", 4, None, "pain cry"),
    ("lincity-ng-data", "Tools", r"lincity-ng/sounds/Blacksmith\d\.wav$", "lincity-ng:{dir}/{stem}", 3, None, "blacksmith hammering"),
    ("lincity-ng-data", "Vehicle", r"lincity-ng/sounds/RailTrain\d\.wav$", "lincity-ng:{dir}/{stem}", 3, None, "train"),
    ("lincity-ng-data", "Water", r"lincity-ng/sounds/Water\d\.wav$", "lincity-ng:{dir}/{stem}", 5, None, "water"),
    ("torcs-data", "Vehicle", r"torcs/data/sound/(206_engine|evo7_engine|ferrarif355|ford1b|ford2c|impreza2002_engine|lamborghinidiablo|porsche_engine)\.wav$", "torcs:{dir}/{stem}", 1, None, "car engine"),
    ("searchandrescue-data", "Vehicle", r"searchandrescue/sounds/(hh60/|hh65/)?(helicopter_engine_\w+|jet_engine_\w+|engine_\w+)\.wav$", "searchandrescue:{dir}/{stem}", 1, None, "helicopter / jet engine"),
    ("flightgear-data-base", "Vehicle", r"flightgear/Sounds/(exhaust_loop|exhaust_start|turbine_start|turboprop1|helicopter|rumble)\.wav$", "flightgear-base:{dir}/{stem}", 1, None, "aircraft engine"),
    ("supertuxkart-data", "Vehicle", r"data/(sfx/engine_large|library/stklib_steamLocomotive_a/steamLocomotive)\.ogg$", "supertuxkart:{dir}/{stem}", 1, None, "engine / steam locomotive"),
    ("supertuxkart-data", "Tools", r"data/sfx/hammer\.ogg$", "supertuxkart:{dir}/{stem}", 1, None, "hammer"),
    ("tuxpaint-stamps-default", "Animal", r"stamps/animals/.*/(cow_white|goat|ram|pig_golden|grasshopper)\.ogg$", "tuxpaint-sfx:{stem}", 1, None, "animal sound"),
    ("tuxpaint-stamps-default", "Bird", r"stamps/animals/birds/(gander|nandou|tucan)\.ogg$", "tuxpaint-sfx:{stem}", 1, None, "bird call"),
    ("tuxpaint-stamps-default", "Tools", r"stamps/household/tools/mallet_metal\.ogg$", "tuxpaint-sfx:{stem}", 1, None, "mallet"),
    ("ukui-media", "Water", r"usr/share/ukui-media/sounds/(drip|splash|gurgle)\.ogg$", "ukui-media:sounds/{stem}", 1, None, "drip / splash / gurgle"),
    ("ukui-media", "Bird", r"usr/share/ukui-media/sounds/quack\.ogg$", "ukui-media:sounds/{stem}", 1, None, "duck quack"),
    ("bucklespring-data", "Typing", r"usr/share/buckle/wav/[0-9a-f]{2}-[01]\.wav$", "bucklespring", 100, None, "key press / release"),
    ("freeorion-data", "Typing", r"default/data/sound/text_typing\.ogg$", "freeorion:{dir}/{stem}", 1, None, "typing"),
    ("workrave-data", "Alarm", r"usr/share/sounds/workrave/bells/[\w-]+\.wav$", "workrave:bells", 5, None, "bell"),
]


def stem_of(path):
    name = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return re.sub(r"[_-]?\d+$", "", name) or name


def dir_of(path):
    return path.rsplit("/", 2)[-2] if path.count("/") >= 1 else ""


def parse_copyright(text):
    """DEP-5 paragraphs -> [(file globs, licence)], in file order."""
    out = []
    for para in re.split(r"\n\s*\n", text):
        files = re.search(r"^Files:(.*(?:\n[ \t]+.*)*)", para, re.M)
        lic = re.search(r"^License:[ \t]*(\S.*)$", para, re.M)
        if files and lic:
            out.append((files.group(1).split(), lic.group(1).strip()))
    return out


def copyright_file(package):
    """The package's copyright file in the cache (taken from its .deb when fetch has not yet)."""
    from .fetch import COPYRIGHT
    f = COPYRIGHT / f"{package}.txt"
    if not f.exists() and package not in RESERVED_PACKAGES:
        data = subprocess.run(f"dpkg-deb --fsys-tarfile '{deb_file(package)}' | tar -xO './usr/share/doc/{package}/copyright'",
                              shell=True, capture_output=True, check=False).stdout
        if data:
            COPYRIGHT.mkdir(parents=True, exist_ok=True)
            f.write_bytes(data)
    return f


def licence_from_copyright(package, path):
    """Last DEP-5 paragraph whose Files glob matches a suffix of the installed path."""
    from fnmatch import fnmatchcase
    f = copyright_file(package)
    if not f.exists():
        return None
    inner = path.split(":", 1)[1] if ":" in path.split("/", 1)[0] else path
    parts = inner.split("/")
    suffixes = ["/".join(parts[i:]) for i in range(len(parts))]
    found = None
    for globs, lic in parse_copyright(f.read_text(errors="replace")):
        if any(fnmatchcase(s, g) for g in globs for s in suffixes):
            found = lic
    return found


def v1_groups(v1_rows):
    out = {}
    for r in v1_rows:
        out[(r["package"], dir_of(r["path"]), stem_of(r["path"]).lower())] = r["group"]
    return out


def inventory_listing(inventory, package):
    prefix = "public.zip:" if package == "0ad-data" else ""
    return sorted(prefix + r["path"] for r in inventory if r["package"] == package)


def apply_v1_rules(rules, listings, listed, v1_rows, previous=frozenset()):
    """Like apply_rules, for v1 packages: skips files any list already names, reuses v1 groups.
    Files of `previous` (the committed extra-v2-candidates.tsv) stay chosen when a cap grows, so a
    rerun only adds rows."""
    groups_v1 = v1_groups(v1_rows)
    licence_v1 = {}
    for r in v1_rows:
        licence_v1.setdefault((r["package"], dir_of(r["path"])), set()).add(r["licence"])
    rows = []
    for package, label, pattern, group_t, per_group, licence, note in rules:
        if package in RESERVED_PACKAGES:
            raise ValueError(f"{package} is reserved for the independent evaluation")
        rx = re.compile(pattern)
        groups = {}
        for p in listings[package]:
            m = rx.search(p)
            if not m or (package, p) in listed:
                continue
            fields = {"dir": dir_of(p), "stem": stem_of(p), **{k: v or "" for k, v in m.groupdict().items()}}
            g = groups_v1.get((package, dir_of(p), stem_of(p).lower())) or group_t.format(**fields)
            groups.setdefault(g, []).append(p)
        if not groups:
            print(f"note: rule matched no new file: {package} {pattern}", file=sys.stderr)
        for group, paths in sorted(groups.items()):
            kept = [p for p in paths if (package, p) in previous][:per_group]
            rest = [p for p in paths if p not in kept]
            for p in sorted(kept + (spread(rest, per_group - len(kept)) if per_group > len(kept) else [])):
                listed.add((package, p))
                # free-form copyright files: the licence v1 recorded for the package, when it
                # recorded one licence only (wesnoth, searchandrescue)
                by_pkg = set().union(*[v for (pk, _), v in licence_v1.items() if pk == package] or [set()])
                lic = licence or licence_from_copyright(package, p) or (min(by_pkg) if len(by_pkg) == 1 else None)
                if not lic:
                    raise ValueError(f"{package}:{p}: no licence found in its copyright file")
                rows.append({"class": label, "package": package, "path": p, "group": group,
                             "licence": lic, "note": note})
    return rows


def deb_listing(package):
    """Audio paths inside a cached .deb, and inside the archives (zip, .rcc) it contains."""
    import tempfile
    deb = deb_file(package)
    out = subprocess.run(["dpkg-deb", "-c", str(deb)], capture_output=True, text=True, check=True).stdout
    paths, inner = [], {}
    archives = {v: k for k, v in ZIPS.items()}
    for line in out.splitlines():
        name = line.split(None, 5)[-1].split(" -> ")[0]
        name = name[2:] if name.startswith("./") else name
        if AUDIO.search(name):
            paths.append(name)
        elif name in archives or (name.startswith(RCC_DIR) and name.endswith(".rcc")):
            inner[name] = archives.get(name) or name[len(RCC_DIR):] + ":"
    if inner:
        with tempfile.TemporaryDirectory() as d:    # one pass over the package for all archives
            subprocess.run(f"dpkg-deb --fsys-tarfile '{deb}' | tar -x -C '{d}' " +
                           " ".join(f"'./{n}'" for n in inner), shell=True, check=True)
            for name, prefix in inner.items():
                members, _ = archive_members(name, (Path(d) / name).read_bytes())
                paths += [prefix + n for n in members if AUDIO.search(n)]
    return sorted(paths)


def spread(paths, n):
    """n paths spread evenly over a sorted list (numbered variants: take every k-th)."""
    paths = sorted(paths)
    if len(paths) <= n:
        return paths
    return [paths[round(i * (len(paths) - 1) / (n - 1))] for i in range(n)] if n > 1 else [paths[len(paths) // 2]]


def apply_rules(rules, listings):
    rows, seen = [], set()
    for package, label, pattern, group_t, per_group, licence, note in rules:
        if package in RESERVED_PACKAGES:
            raise ValueError(f"{package} is reserved for the independent evaluation")
        if label not in LABELS:
            raise ValueError(f"unknown class {label!r}")
        rx = re.compile(pattern)
        groups = {}
        for p in listings[package]:
            m = rx.search(p)
            if m and (package, p) not in seen:
                fields = {k: (v or "default") for k, v in m.groupdict().items()}
                groups.setdefault(group_t.format(**fields), []).append(p)
        if not groups:
            raise ValueError(f"rule matched nothing: {package} {pattern}")
        for group, paths in sorted(groups.items()):
            for p in spread(paths, per_group):
                seen.add((package, p))
                lic = licence or licence_from_copyright(package, p)
                if not lic:
                    raise ValueError(f"{package}:{p}: no licence found in its copyright file")
                rows.append({"class": label, "package": package, "path": p, "group": group,
                             "licence": lic, "note": note})
    return rows


COLUMNS = ["class", "package", "path", "group", "licence", "note"]


def main(shared="/work/shared/data"):
    listings = {}
    for package in sorted({r[0] for r in NEW_PACKAGE_RULES}):
        cached = LISTINGS / f"{package}.txt"
        if not cached.exists():    # listing a .deb with a 140 MB archive inside takes a minute
            LISTINGS.mkdir(parents=True, exist_ok=True)
            cached.write_text("\n".join(deb_listing(package)) + "\n")
        listings[package] = [p for p in cached.read_text().splitlines() if p]
    rows = apply_rules(NEW_PACKAGE_RULES, listings)
    inventory = read_list(Path(shared) / "debian-audio-inventory.tsv")
    listed = {(r["package"], r["path"]) for name in ("curated-sources.tsv", "curated-backgrounds.tsv")
              for r in read_list(Path(shared) / name)}
    listed |= {(r["package"], r["path"]) for r in read_list(DATA / "extra-candidates.tsv")}
    v1_rows = read_list(DATA / "v1-sources.tsv")
    v1_listings = {p: inventory_listing(inventory, p) for p in {r[0] for r in V1_PACKAGE_RULES}}
    out = DATA / "extra-v2-candidates.tsv"
    previous = {(r["package"], r["path"]) for r in read_list(out)} if out.exists() else set()
    rows += apply_v1_rules(V1_PACKAGE_RULES, v1_listings, listed, v1_rows, previous)
    with open(DATA / "extra-v2-candidates.tsv", "w", newline="") as f:
        w = csv.DictWriter(f, COLUMNS, delimiter="\t", lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    counts = {}
    for r in rows:
        counts[r["class"]] = counts.get(r["class"], 0) + 1
    print(f"wrote {len(rows)} candidates: {counts}")


if __name__ == "__main__":
    main(*sys.argv[1:])
