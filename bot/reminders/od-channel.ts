/**
 * The reference key under which the OD team's channel is kept: when an OD member adds the app to a
 * team, that channel's reference is also stored under this key, and escalations for OD go there
 * instead of to each OD member (DESIGN.md §4 "OD chat ... in their team channel").
 */
export const OD_CHANNEL_KEY = '~od-channel';
