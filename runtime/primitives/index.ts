// Importing this module registers every primitive group.
import './numbers';
import './compare';
import './strings';
import './collections';
import './io';
import './kernel';
import './config';
import './algebra';
import './math';
import './threads';
import './signals';
import './lru';
import './lists';
import './maps';
import './eval';
import './process';
